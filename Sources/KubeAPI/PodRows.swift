/// The `kubectl get pods` columns, with STATUS worked out as kubectl shows it.
enum PodRows {
    static let columns: [KubeTable.Column] = [
        KubeTable.name, .init("Ready"), .init("Status"), .init("Restarts", "integer"), KubeTable.age,
        .init("IP", priority: 1), .init("Node", priority: 1), .init("Nominated Node", priority: 1), .init("Readiness Gates", priority: 1),
    ]

    static func cells(_ pod: JSON, age: JSON) -> [JSON] {
        let summary = summarize(pod)
        let gates = pod[path: "spec", "readinessGates"]?.arrayValue ?? []
        let gatesText: String
        if gates.isEmpty {
            gatesText = "<none>"
        } else {
            let conditions = pod[path: "status", "conditions"]?.arrayValue ?? []
            let met = gates.filter { gate in
                conditions.contains { $0.string("type") == gate.string("conditionType") && $0.string("status") == "True" }
            }.count
            gatesText = "\(met)/\(gates.count)"
        }
        return [.string(pod.string("metadata", "name") ?? ""), .string("\(summary.ready)/\(summary.total)"), .string(summary.status),
                .int(summary.restarts), age, .string(nonEmpty(pod.string("status", "podIP"))),
                .string(nonEmpty(pod.string("spec", "nodeName"))), .string(nonEmpty(pod.string("status", "nominatedNodeName"))),
                .string(gatesText)]
    }

    static func nonEmpty(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "<none>" }
        return text
    }

    struct Summary {
        var status: String
        var ready: Int
        var total: Int
        var restarts: Int64
    }

    /// READY, STATUS and RESTARTS from the pod's status: a waiting or terminated container's
    /// reason (ContainerCreating, CrashLoopBackOff, Completed, Error) wins over the phase,
    /// init containers show as `Init:n/m`, and a pod being deleted is Terminating.
    static func summarize(_ pod: JSON) -> Summary {
        let containers = pod[path: "spec", "containers"]?.arrayValue ?? []
        var status = pod.string("status", "reason") ?? pod.string("status", "phase") ?? "Pending"
        var restarts: Int64 = 0
        var ready = 0
        var initializing = false
        let initStatuses = pod[path: "status", "initContainerStatuses"]?.arrayValue ?? []
        let initCount = pod[path: "spec", "initContainers"]?.arrayValue?.count ?? initStatuses.count
        for (index, container) in initStatuses.enumerated() {
            restarts += container["restartCount"]?.intValue ?? 0
            if let terminated = container[path: "state", "terminated"], terminated.objectValue != nil {
                if terminated["exitCode"]?.intValue == 0 { continue }
                status = "Init:" + (terminated.string("reason") ?? exitText(terminated))
            } else if let reason = container.string("state", "waiting", "reason"), !reason.isEmpty, reason != "PodInitializing" {
                status = "Init:" + reason
            } else {
                status = "Init:\(index)/\(initCount)"
            }
            initializing = true
            break
        }
        if !initializing {
            var hasRunning = false
            for container in (pod[path: "status", "containerStatuses"]?.arrayValue ?? []).reversed() {
                restarts += container["restartCount"]?.intValue ?? 0
                if let reason = container.string("state", "waiting", "reason"), !reason.isEmpty {
                    status = reason
                } else if let terminated = container[path: "state", "terminated"], terminated.objectValue != nil {
                    status = terminated.string("reason").flatMap { $0.isEmpty ? nil : $0 } ?? exitText(terminated)
                } else if container["ready"]?.boolValue == true && container[path: "state", "running"] != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if status == "Completed" && hasRunning {
                let readyCondition = (pod[path: "status", "conditions"]?.arrayValue ?? []).contains {
                    $0.string("type") == "Ready" && $0.string("status") == "True"
                }
                status = readyCondition ? "Running" : "NotReady"
            }
        }
        if pod[path: "metadata", "deletionTimestamp"] != nil && pod[path: "metadata", "deletionTimestamp"] != .null {
            status = pod.string("status", "reason") == "NodeLost" ? "Unknown" : "Terminating"
        }
        return Summary(status: status, ready: ready, total: containers.count, restarts: restarts)
    }

    static func exitText(_ terminated: JSON) -> String {
        if let signal = terminated["signal"]?.intValue, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
    }
}
