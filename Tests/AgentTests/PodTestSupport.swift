@testable import Agent
import FairwayProto
import Foundation
import Glibc

/// Pods as the pods framework sends them, and what their updates carry.
enum PodEvents {
    static func label(_ key: String, _ value: String) -> Fairway_V1_Label {
        var label = Fairway_V1_Label()
        label.key = key
        label.value = value
        return label
    }

    /// A container task: argv without a shell, a restart policy, optional probes.
    static func container(_ id: String, _ argv: [String], policy: String? = "Never", pod: String = "web",
                          environment: [String: String] = [:]) -> Fairway_V1_TaskInfo {
        var task = Events.task(id, program: argv[0], arguments: argv, environment: environment, cpus: 0.1, mem: 64)
        task.name = "default/\(pod)/\(id)"
        if let policy { task.labels.labels = [label(RestartPolicy.label, policy)] }
        return task
    }

    /// LAUNCH_GROUP of a pod: the executor asks for the pod network.
    static func pod(_ executorID: String, _ tasks: [Fairway_V1_TaskInfo], hostname: String = "web",
                    namespace: String = "default") -> Fairway_Internal_AgentEvent {
        var event = Events.runGroup(executorID: executorID, tasks)
        var network = Fairway_V1_NetworkInfo()
        network.name = "fairway-pods"
        event.runTasks.runs[0].executor.container.type = .mesos
        event.runTasks.runs[0].executor.container.hostname = hostname
        event.runTasks.runs[0].executor.container.networkInfos = [network]
        event.runTasks.runs[0].executor.labels.labels = [label("fairway.pod/namespace", namespace), label("fairway.pod/name", hostname)]
        return event
    }

    static func httpLiveness(port: Int, path: String = "/healthz", failures: UInt32 = 2) -> Fairway_V1_HealthCheck {
        var check = Fairway_V1_HealthCheck()
        check.type = .http
        check.http.port = UInt32(port)
        check.http.path = path
        check.delaySeconds = 0.2
        check.gracePeriodSeconds = 2
        check.intervalSeconds = 0.2
        check.timeoutSeconds = 1
        check.consecutiveFailures = failures
        return check
    }

    static func tcpReadiness(port: Int) -> Fairway_V1_CheckInfo {
        var check = Fairway_V1_CheckInfo()
        check.type = .tcp
        check.tcp.port = UInt32(port)
        check.delaySeconds = 0
        check.intervalSeconds = 0.2
        check.timeoutSeconds = 1
        return check
    }

    /// A Python HTTP server: `server.py PORT NAME [FAILING_AFTER]` answers NAME; `/healthz` fails
    /// (500) after FAILING_AFTER requests when given.
    static let server = """
        import http.server, sys
        port, name = int(sys.argv[1]), sys.argv[2]
        limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
        count = 0
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                global count
                count += 1
                code = 500 if self.path == "/healthz" and limit is not None and count > limit else 200
                body = (name + "\\n").encode()
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("0.0.0.0", port), Handler).serve_forever()
        """

    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// A TCP port free on this host right now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Fairway_Internal_StatusUpdate {
    func label(_ key: String) -> String? {
        status.labels.labels.last { $0.key == key }?.value
    }

    /// The IP in `container_status.network_infos`.
    var podIP: String? {
        status.containerStatus.networkInfos.first { $0.name == "fairway-pods" }?.ipAddresses.first?.ipAddress
    }
}
