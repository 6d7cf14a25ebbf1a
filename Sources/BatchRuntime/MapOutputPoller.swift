import BatchCore
import FairwayHTTP
import Foundation
import Logging

/// Reduce slowstart: gathers partition p of every map's output while maps are still running. It
/// fetches the outputs it was launched with, then polls the framework's `GET /jobs/ID/map-outputs`
/// every `pollInterval` and fetches each new output as it appears (at most `parallelism` at once,
/// like `MapOutputFetcher.fetchAll`). A fetch that fails (the map's agent is gone) is not fatal: the
/// framework re-runs that map and lists its new location, which the next poll picks up; the same
/// location is tried again after `refetchDelay`. It ends when all `totalMaps` outputs are local,
/// and fails when the job is no longer running, or after `progressTimeout` seconds without the
/// framework answering or without a new location for a map that could not be fetched.
struct MapOutputPoller: Sendable {
    var fetcher: MapOutputFetcher
    var url: String
    var totalMaps: Int
    var pollInterval: Double
    var progressTimeout: Double
    var refetchDelay: Double
    /// Seconds one poll may take.
    var pollTimeout: Double = 5
    private let logger = Logger(label: "fairway.batch.runtime")

    init(fetcher: MapOutputFetcher, url: String, totalMaps: Int, pollInterval: Double, progressTimeout: Double, refetchDelay: Double) {
        self.fetcher = fetcher
        self.url = url
        self.totalMaps = totalMaps
        self.pollInterval = max(0.01, pollInterval)
        self.progressTimeout = progressTimeout
        self.refetchDelay = refetchDelay
    }

    private enum Event: Sendable {
        case fetched(MapOutputLocation, Result<FetchedMapOutput, BatchRuntimeError>)
        case polled(Result<MapOutputsDocument, BatchRuntimeError>)
    }

    /// A map whose output could not be fetched at `location`.
    private struct Failure {
        var location: MapOutputLocation
        var at: ContinuousClock.Instant
        /// When this map first failed (kept across retries until a fetch succeeds).
        var since: ContinuousClock.Instant
        var message: String
    }

    /// All maps' outputs, in map index order.
    func gather(initial: [MapOutputLocation]) async throws(BatchRuntimeError) -> [FetchedMapOutput] {
        let poller = self
        let outcome = await withTaskGroup(of: Event.self) { group -> Result<[FetchedMapOutput], BatchRuntimeError> in
            let clock = ContinuousClock()
            var known: [Int: MapOutputLocation] = [:]
            for location in initial { known[location.mapIndex] = location }
            var fetched: [Int: FetchedMapOutput] = [:]
            var inFlight = Set<Int>()
            var failures: [Int: Failure] = [:]
            // Maps to fetch, in the order they became known (queue[head...]), and maps whose fetch
            // failed, waiting for `refetchDelay` or a new location.
            var queue = known.keys.sorted()
            var head = 0
            var delayed = Set<Int>()
            var lastAnswer = clock.now
            // Exactly one poll is pending (sleeping or asking) until the gathering ends.
            let timeout = Duration.milliseconds(Int64(progressTimeout * 1000))
            let retryAfter = Duration.milliseconds(Int64(refetchDelay * 1000))
            group.addTask { .polled(await poller.poll(after: 0)) }
            while true {
                let now = clock.now
                let due = delayed.filter { index in
                    guard let failure = failures[index] else { return true }
                    return now - failure.at >= retryAfter || known[index] != failure.location
                }
                delayed.subtract(due)
                queue += due.sorted()
                while inFlight.count < fetcher.parallelism, head < queue.count {
                    let index = queue[head]
                    head += 1
                    guard fetched[index] == nil, !inFlight.contains(index), let location = known[index] else { continue }
                    if let failure = failures[index], failure.location == location, now - failure.at < retryAfter {
                        delayed.insert(index)
                        continue
                    }
                    inFlight.insert(index)
                    group.addTask { .fetched(location, await poller.fetch(location)) }
                }
                if head > 1024, head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                if fetched.count == totalMaps {
                    group.cancelAll()
                    return .success(fetched.values.sorted { $0.location.mapIndex < $1.location.mapIndex })
                }
                if let stuck = failures.values.filter({ now - $0.since > timeout }).min(by: { $0.location.mapIndex < $1.location.mapIndex }) {
                    group.cancelAll()
                    return .failure(BatchRuntimeError("\(stuck.message); no new location for map \(stuck.location.mapIndex) for \(Int(progressTimeout)) s, giving up",
                                                      kind: .fetch))
                }
                guard let event = await group.next() else {
                    return .failure(BatchRuntimeError("map output gathering stopped unexpectedly"))
                }
                let at = clock.now
                switch event {
                case .fetched(let location, .success(let output)):
                    inFlight.remove(location.mapIndex)
                    fetched[location.mapIndex] = output
                    failures[location.mapIndex] = nil
                case .fetched(let location, .failure(let error)):
                    inFlight.remove(location.mapIndex)
                    let since = failures[location.mapIndex]?.since ?? at
                    failures[location.mapIndex] = Failure(location: location, at: at, since: since, message: error.message)
                    delayed.insert(location.mapIndex)
                    logger.warning("\(error.message); waiting for the map's new location from the framework")
                case .polled(.success(let document)):
                    lastAnswer = at
                    guard document.state == JobState.running.rawValue || document.state == JobState.pending.rawValue else {
                        group.cancelAll()
                        return .failure(BatchRuntimeError("job is \(document.state), no longer running; stopped waiting for map outputs (have \(fetched.count) of \(totalMaps))"))
                    }
                    guard document.maps == totalMaps else {
                        group.cancelAll()
                        return .failure(BatchRuntimeError("\(url) lists \(document.maps) maps but this reduce was started with --maps \(totalMaps)", kind: .usage))
                    }
                    for output in document.outputs where (0..<totalMaps).contains(output.index) && fetched[output.index] == nil {
                        let location = MapOutputLocation(mapIndex: output.index, agentID: output.agentID,
                                                         agentURL: output.url, taskID: output.taskID)
                        if known.updateValue(location, forKey: output.index) == nil { queue.append(output.index) }
                    }
                    group.addTask { .polled(await poller.poll(after: poller.pollInterval)) }
                case .polled(.failure(let error)) where error.kind == .task:
                    group.cancelAll()
                    return .failure(error)
                case .polled(.failure(let error)):
                    if at - lastAnswer > timeout {
                        group.cancelAll()
                        return .failure(BatchRuntimeError("the batch framework did not answer \(url) for \(Int(progressTimeout)) s (\(error.message)); have \(fetched.count) of \(totalMaps) map outputs, giving up", kind: .fetch))
                    }
                    logger.info("polling \(url) failed, trying again: \(error.message)")
                    group.addTask { .polled(await poller.poll(after: poller.pollInterval)) }
                }
            }
        }
        return try outcome.get()
    }

    private func fetch(_ location: MapOutputLocation) async -> Result<FetchedMapOutput, BatchRuntimeError> {
        do {
            return .success(try await fetcher.fetch(location))
        } catch {
            return .failure(error)
        }
    }

    private func poll(after delay: Double) async -> Result<MapOutputsDocument, BatchRuntimeError> {
        do {
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
            let result = try await HTTPCalls.get(url, timeout: .milliseconds(Int64(pollTimeout * 1000)))
            if result.status == .notFound {
                return .failure(BatchRuntimeError("the batch framework no longer knows this job (GET \(url) answered 404: \(result.text)); stopped waiting for map outputs"))
            }
            guard result.status == .ok else {
                return .failure(BatchRuntimeError("GET \(url) answered \(result.status.code) \(result.status.reasonPhrase): \(result.text)", kind: .fetch))
            }
            return .success(try JSONDecoder().decode(MapOutputsDocument.self, from: Data(result.body)))
        } catch let error as BatchRuntimeError {
            return .failure(error)
        } catch {
            return .failure(BatchRuntimeError("\(error)", kind: .fetch))
        }
    }
}
