import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import Synchronization

/// A client's watch of the default namespace's bound pods over HTTP (`?watch=true`, one JSON event per
/// line), noting when each pod was first seen bound to a node and first seen Running (monotonic
/// nanoseconds, by "default/NAME").
final class PodBenchWatch: Sendable {
    struct Seen: Sendable {
        var scheduledAt: [String: UInt64] = [:]
        var runningAt: [String: UInt64] = [:]
        /// Pods seen Running with an IP of their own (not the agent's 127.0.0.1).
        var podIPs: Set<String> = []
        /// The node each pod was bound to.
        var nodes: [String: String] = [:]
    }

    let address: String
    private let state = Mutex(Seen())
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let client = HTTPClient(eventLoopGroupProvider: .singleton)

    init(address: String) { self.address = address }

    var seen: Seen { state.withLock { $0 } }

    /// Lists the pods and opens a watch from the list's resourceVersion, returning once the API
    /// has answered; events are read in the background. When the API ends the watch (a watcher
    /// that falls behind is dropped with 410 Expired), it lists and watches again, as an informer does.
    func start() async throws {
        let first = try await open()
        let reader = Task { [self] in
            var response: HTTPClientResponse? = first
            while !Task.isCancelled {
                if let body = response?.body { await read(body) }
                response = try? await open()
                if response == nil { try? await Task.sleep(for: .milliseconds(100)) }
            }
        }
        task.withLock { $0 = reader }
    }

    private func open() async throws -> HTTPClientResponse {
        // Only bound pods: their binding and their start are all this watch needs to see.
        let base = "http://\(address)/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%21%3D"
        let list = try await client.execute(HTTPClientRequest(url: base), deadline: .now() + .seconds(120))
        let body = try await list.body.collect(upTo: 1 << 30)
        guard list.status == .ok, let json = try? JSON.parse(Array(body.readableBytesView)),
              let version = json.string("metadata", "resourceVersion") else {
            throw BenchError("listing pods answered \(list.status)")
        }
        let now = Stopwatch.nanoseconds()
        for item in json["items"]?.arrayValue ?? [] { note(item, at: now) }
        let url = base + "&watch=true&timeoutSeconds=3600&resourceVersion=" + version
        let response = try await client.execute(HTTPClientRequest(url: url), deadline: .distantFuture)
        guard response.status == .ok else { throw BenchError("the pods watch answered \(response.status)") }
        return response
    }

    private func read(_ body: HTTPClientResponse.Body) async {
        var buffer: [UInt8] = []
        do {
            for try await chunk in body {
                buffer += chunk.readableBytesView
                var start = 0
                while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if let event = try? JSON.parse(Array(buffer[start..<newline])) {
                        if event.string("type") == "ERROR" { return }
                        if let object = event["object"] { note(object, at: Stopwatch.nanoseconds()) }
                    }
                    start = newline + 1
                }
                buffer.removeSubrange(..<start)
            }
        } catch {}
    }

    private func note(_ object: JSON, at time: UInt64) {
        guard let name = object.string("metadata", "name") else { return }
        let key = (object.string("metadata", "namespace") ?? "default") + "/" + name
        let node = object.string("spec", "nodeName") ?? ""
        let bound = !node.isEmpty
        let running = object.string("status", "phase") == "Running"
        let ip = object.string("status", "podIP") ?? ""
        state.withLock { seen in
            if running, !ip.isEmpty, ip != "127.0.0.1" { seen.podIPs.insert(key) }
            if bound, seen.scheduledAt[key] == nil {
                seen.scheduledAt[key] = time
                seen.nodes[key] = node
            }
            if running, seen.runningAt[key] == nil { seen.runningAt[key] = time }
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
        try? client.syncShutdown()
    }
}
