import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import Synchronization

/// A client's watch of the default namespace's pods over HTTP (`?watch=true`, one JSON event per
/// line), noting when each pod was first seen bound to a node and first seen Running (monotonic
/// nanoseconds, by "default/NAME").
final class PodBenchWatch: Sendable {
    struct Seen: Sendable {
        var scheduledAt: [String: UInt64] = [:]
        var runningAt: [String: UInt64] = [:]
        /// Pods seen Running with an IP of their own (not the agent's 127.0.0.1).
        var podIPs: Set<String> = []
    }

    let address: String
    private let state = Mutex(Seen())
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let client = HTTPClient(eventLoopGroupProvider: .singleton)

    init(address: String) { self.address = address }

    var seen: Seen { state.withLock { $0 } }

    /// Opens the watch and returns once the API has answered it; events are read in the background.
    func start() async throws {
        let request = HTTPClientRequest(url: "http://\(address)/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=3600")
        let response = try await client.execute(request, deadline: .distantFuture)
        guard response.status == .ok else { throw BenchError("the pods watch answered \(response.status)") }
        let reader = Task { [self] in
            var buffer: [UInt8] = []
            do {
                for try await chunk in response.body {
                    buffer += chunk.readableBytesView
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = Array(buffer[..<newline])
                        buffer.removeSubrange(...newline)
                        self.note(line, at: Stopwatch.nanoseconds())
                    }
                }
            } catch {}
        }
        task.withLock { $0 = reader }
    }

    private func note(_ line: [UInt8], at time: UInt64) {
        guard let event = try? JSON.parse(line), let object = event["object"],
              let name = object.string("metadata", "name") else { return }
        let key = (object.string("metadata", "namespace") ?? "default") + "/" + name
        let bound = !(object.string("spec", "nodeName") ?? "").isEmpty
        let running = object.string("status", "phase") == "Running"
        let ip = object.string("status", "podIP") ?? ""
        state.withLock { seen in
            if running, !ip.isEmpty, ip != "127.0.0.1" { seen.podIPs.insert(key) }
            if bound, seen.scheduledAt[key] == nil { seen.scheduledAt[key] = time }
            if running, seen.runningAt[key] == nil { seen.runningAt[key] = time }
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
        try? client.syncShutdown()
    }
}
