import FairwayProto
import FrameworkKit
import Synchronization

/// The pods framework's line to the bench's in-process master, in place of `Scheduler`'s HTTP:
/// SUBSCRIBE when started (once `open()` lets it, so pods can be created first), the master's
/// events handed on as SDK events, and every call given to `PodBenchMaster.call` in the order sent.
actor PodBenchLink: SchedulerLink {
    nonisolated let events: AsyncStream<SchedulerEvent>
    private let continuation: AsyncStream<SchedulerEvent>.Continuation
    private let master: PodBenchMaster
    private let frameworkInfo: Fairway_V1_FrameworkInfo
    private(set) var frameworkID: Fairway_V1_FrameworkID?
    private var gate: CheckedContinuation<Void, Never>?
    private var opened: Bool
    private var pump: Task<Void, Never>?
    /// Calls sent, by type.
    nonisolated let counts = Mutex<[String: Int]>([:])

    init(master: PodBenchMaster, frameworkInfo: Fairway_V1_FrameworkInfo, opened: Bool = true) {
        self.master = master
        self.frameworkInfo = frameworkInfo
        self.opened = opened
        (events, continuation) = AsyncStream.makeStream(of: SchedulerEvent.self)
    }

    nonisolated func start() { Task { await self.subscribe() } }

    /// Lets a link made with `opened: false` subscribe.
    func open() {
        opened = true
        gate?.resume()
        gate = nil
    }

    private func subscribe() async {
        if !opened { await withCheckedContinuation { gate = $0 } }
        do {
            var id = Fairway_V1_FrameworkID()
            id.value = try await master.subscribe(frameworkInfo)
            frameworkID = id
        } catch {
            continuation.yield(.error("\(error)"))
            continuation.finish()
            return
        }
        let stream = master.eventStream, continuation = self.continuation
        pump = Task {
            for await event in stream {
                if let event = SchedulerEvent(event) { continuation.yield(event) }
            }
        }
    }

    func stop() async {
        pump?.cancel()
        continuation.finish()
    }

    func send(_ call: Fairway_V1_Scheduler_Call) async throws {
        guard let frameworkID else { throw BenchError("\(call.type) before the bench's master subscribed the framework") }
        var call = call
        call.frameworkID = frameworkID
        counts.withLock { $0["\(call.type)", default: 0] += 1 }
        await master.call(call)
    }
}
