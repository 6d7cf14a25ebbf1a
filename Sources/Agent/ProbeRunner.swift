/// Runs one probe of one container run on its schedule — first after `delay`, then `interval`
/// after each result — and hands every result to `report`, until its task is cancelled (the run
/// ended, the task was killed, the agent stops). The agent decides what results mean
/// (`LivenessTracker`, `ReadinessTracker`); this is only the clock and the I/O.
enum ProbeRunner {
    /// Where a container run's probes go.
    struct Target: Sendable, Equatable {
        /// The pod IP, or 127.0.0.1 on the host network: where HTTP and TCP probes connect.
        var host: String
        /// Put before a COMMAND probe's argv (`ip netns exec NS`); empty on the host network.
        var commandPrefix: [String]
        /// The task's environment, for COMMAND probes.
        var environment: [String: String]
        /// The task's sandbox: a COMMAND probe's working directory.
        var directory: String
    }

    static func start(_ spec: ProbeSpec, target: Target,
                      report: @escaping @Sendable (ProbeResult) async -> Void) -> Task<Void, Never> {
        Task {
            if spec.delay > 0 { try? await Task.sleep(for: .seconds(spec.delay)) }
            while !Task.isCancelled {
                let result = await probe(spec, target: target)
                if Task.isCancelled { break }
                await report(result)
                try? await Task.sleep(for: .seconds(spec.interval))
            }
        }
    }

    /// Makes one probe, bounded by the spec's timeout.
    static func probe(_ spec: ProbeSpec, target: Target) async -> ProbeResult {
        let deadline = ContinuousClock.now + .seconds(spec.timeout)
        switch spec.action {
        case .command(let command):
            return await ProbeCommand.run(command, prefix: target.commandPrefix, environment: target.environment,
                                          directory: target.directory, timeout: spec.timeout)
        case .tcp(let port):
            do throws(ProbeSocket.Problem) {
                _ = try await ProbeSocket.connect(host: target.host, port: port, deadline: deadline)
                return .connected(true, "")
            } catch {
                switch error {
                case .timedOut: return .timedOut(spec.timeout)
                case .failed(let reason): return .connected(false, reason)
                }
            }
        case .http(let port, let path):
            return await httpGet(host: target.host, port: port, path: path, timeout: spec.timeout, deadline: deadline)
        }
    }

    /// `GET path` over HTTP/1.1 with `Connection: close`; the status line is all it reads.
    static func httpGet(host: String, port: Int, path: String, timeout: Double,
                        deadline: ContinuousClock.Instant) async -> ProbeResult {
        do throws(ProbeSocket.Problem) {
            let socket = try await ProbeSocket.connect(host: host, port: port, deadline: deadline)
            let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: fairway-probe/1\r\nAccept: */*\r\nConnection: close\r\n\r\n"
            try await socket.send(Array(request.utf8), deadline: deadline)
            let answer = try await socket.receive(until: { $0.contains(UInt8(ascii: "\n")) }, deadline: deadline)
            guard let status = statusCode(answer) else {
                return .failed(answer.isEmpty ? "HTTP probe of http://\(host):\(port)\(path): the server closed the connection without answering"
                                              : "HTTP probe of http://\(host):\(port)\(path): not an HTTP answer")
            }
            return .httpStatus(status)
        } catch {
            switch error {
            case .timedOut: return .timedOut(timeout)
            case .failed(let reason): return .failed("HTTP probe failed: \(reason)")
            }
        }
    }

    /// The status of an HTTP status line (`HTTP/1.1 200 OK`).
    static func statusCode(_ bytes: [UInt8]) -> Int? {
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let code = Int(parts[1]) else { return nil }
        return code
    }
}
