import AsyncHTTPClient
import FairwayHTTP
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Creates the bench's pods through the Kubernetes API as a client would: POST
/// /api/v1/namespaces/default/pods with a JSON body, from `clients` concurrent connections.
/// Pod i is replica i / controllers of controller i % controllers (`appN`, owned by the
/// ReplicationController `appN`), so the placer spreads each controller's replicas; controller N
/// asks for 0.5 + (N % 4) × 0.25 cpus and 256 MiB.
struct PodBenchClients: Sendable {
    var address: String
    var pods: Int
    var controllers: Int
    var clients: Int
    var command: [String] = ["sleep", "600"]
    var cpus: @Sendable (Int) -> String = { controller in "\(500 + (controller % 4) * 250)m" }
    var memory = "256Mi"
    /// Whether pods carry an owner reference to their controller (for replica spreading).
    var owned = true

    /// Send and answer times of each create (monotonic nanoseconds), by "default/NAME".
    struct Outcome: Sendable {
        var sentAt: [String: UInt64] = [:]
        var answeredAt: [String: UInt64] = [:]
        var failures: [String] = []
    }

    static func name(_ index: Int, controllers: Int) -> String {
        String(format: "app%d-%05d", index % controllers, index / controllers)
    }

    func body(_ index: Int) -> [UInt8] {
        let controller = index % controllers
        let name = Self.name(index, controllers: controllers)
        let command = "[" + self.command.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let owner = owned ? """
            ,"ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"app\(controller)",\
            "uid":"00000000-0000-4000-8000-\(String(format: "%012d", controller))","controller":true}]
            """ : ""
        return Array("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"default","labels":{"app":"app\(controller)"}\
            \(owner)},"spec":{"restartPolicy":"Always","containers":[{"name":"main","image":"busybox","command":\(command),\
            "resources":{"requests":{"cpu":"\(cpus(controller))","memory":"\(memory)"}}}]}}
            """.utf8)
    }

    /// Creates the pods from `clients` workers, each taking the next index; with `pace` (pods per
    /// second), sends are spread evenly in time instead of going as fast as possible.
    func run(pace: Double? = nil) async throws -> Outcome {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let url = "http://\(address)/api/v1/namespaces/default/pods"
        let range = 0..<pods
        let shared = Shared(next: range.lowerBound)
        let started = Stopwatch.nanoseconds()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while true {
                        let index = shared.next.withLock { value in defer { value += 1 }; return value }
                        guard index < range.upperBound else { return }
                        if let pace {
                            let due = started + UInt64(Double(index - range.lowerBound) / pace * 1e9)
                            let now = Stopwatch.nanoseconds()
                            if due > now { try? await Task.sleep(for: .nanoseconds(Int64(due - now))) }
                        }
                        let key = "default/" + Self.name(index, controllers: controllers)
                        let sent = Stopwatch.nanoseconds()
                        var problem: String?
                        do {
                            let result = try await HTTPCalls.post(url, body: body(index), headers: ["Content-Type": "application/json"],
                                                                  timeout: .seconds(60), client: client)
                            if result.status != .created { problem = "\(key): \(result.status) \(result.text.prefix(200))" }
                        } catch {
                            problem = "\(key): \(error)"
                        }
                        let answered = Stopwatch.nanoseconds()
                        shared.outcome.withLock { outcome in
                            outcome.sentAt[key] = sent
                            outcome.answeredAt[key] = answered
                            if let problem { outcome.failures.append(problem) }
                        }
                    }
                }
            }
        }
        try await client.shutdown()
        return shared.outcome.withLock { $0 }
    }

    /// What the workers share: the next pod to create and the outcome so far.
    private final class Shared: Sendable {
        let next: Mutex<Int>
        let outcome = Mutex(Outcome())
        init(next: Int) { self.next = Mutex(next) }
    }
}

/// The Kubernetes API handler with the time spent in each request added up, to show how much of
/// the run the API and the store's creates took.
struct PodBenchTimedHandler: HTTPHandler {
    let inner: any HTTPHandler

    final class Box: Sendable {
        let times = Mutex(PodBenchTimes())
    }

    let box = Box()

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        let start = Stopwatch.nanoseconds()
        let reply = await inner.handle(request)
        box.times.withLock { $0.add("api_\(request.method.rawValue.lowercased())", since: start) }
        return reply
    }
}
