import FairwayCore
import FairwayProto
import FrameworkKit
import PodCore

/// Turns a pod into one LAUNCH_GROUP: an executor standing for the pod (its network namespace
/// and IP on the agent) and one task per container, which runs the container's `command` and
/// `args` directly (no image is pulled; there is no entrypoint to fall back on).
struct TaskGroupFactory: Sendable {
    /// The network name the agent recognises as "give this group a pod network namespace".
    static let podNetworkName = "fairway-pods"
    static let restartPolicyLabel = "fairway.pod/restart-policy"
    static let namespaceLabel = "fairway.pod/namespace"
    static let nameLabel = "fairway.pod/name"

    static func executorID(podUID: String) -> String { "pod-" + podUID }

    /// The group for `pod` on `agentID`; `resources` are the container slices carved from the offer,
    /// in container order. `serviceEnvironment` holds the `NAME_SERVICE_HOST`-style variables of the
    /// services in the pod's namespace.
    func group(for pod: PodManifest, agentID: Fairway_V1_AgentID, resources: [Resources],
               serviceEnvironment: [(String, String)]) -> (Fairway_V1_ExecutorInfo, [Fairway_V1_TaskInfo]) {
        var executor = Fairway_V1_ExecutorInfo()
        executor.type = .default
        executor.executorID.value = Self.executorID(podUID: pod.uid)
        executor.name = "pod \(pod.namespace)/\(pod.name)"
        executor.container.type = .mesos
        executor.container.hostname = pod.name
        var network = Fairway_V1_NetworkInfo()
        network.name = Self.podNetworkName
        executor.container.networkInfos = [network]
        executor.labels = Self.labels([(Self.namespaceLabel, pod.namespace), (Self.nameLabel, pod.name)])

        let tasks = zip(pod.containers, resources).map { container, slice in
            task(for: container, of: pod, agentID: agentID, resources: slice, serviceEnvironment: serviceEnvironment)
        }
        return (executor, tasks)
    }

    private func task(for container: ContainerManifest, of pod: PodManifest, agentID: Fairway_V1_AgentID,
                      resources: Resources, serviceEnvironment: [(String, String)]) -> Fairway_V1_TaskInfo {
        var environment: [(String, String)] = [("HOSTNAME", pod.name)] + serviceEnvironment
        for (name, value) in container.environment {
            environment.append((name, DependentVariables.expand(value, environment)))
        }
        var arguments = (container.command + container.args).map { DependentVariables.expand($0, environment) }
        if let directory = container.workingDir, !directory.isEmpty {
            arguments = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
        }
        var variables: [String: String] = [:]
        for (name, value) in environment { variables[name] = value }
        var task = Fairway_V1_TaskInfo.command(id: PodTaskID.make(podUID: pod.uid, container: container.name),
                                               name: "\(pod.namespace)/\(pod.name)/\(container.name)", agentID: agentID,
                                               arguments: arguments, resources: resources, environment: variables)
        task.labels = Self.labels([(Self.restartPolicyLabel, pod.restartPolicy)])
        if let liveness = container.liveness { task.healthCheck = ProbeTranslation.healthCheck(liveness) }
        if let readiness = container.readiness { task.check = ProbeTranslation.check(readiness) }
        return task
    }

    static func labels(_ pairs: [(String, String)]) -> Fairway_V1_Labels {
        var labels = Fairway_V1_Labels()
        labels.labels = pairs.map { key, value in
            var label = Fairway_V1_Label()
            label.key = key
            label.value = value
            return label
        }
        return labels
    }
}

/// Kubernetes's `$(VAR)` references in command, args and env values: replaced by the variable's
/// value when it is defined earlier, left as written otherwise; `$$` escapes a `$`.
enum DependentVariables {
    static func expand(_ text: String, _ environment: [(String, String)]) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                result += "$"
                rest = after.dropFirst()
            } else if after.first == "(", let close = after.firstIndex(of: ")") {
                let name = String(after[after.index(after: after.startIndex)..<close])
                if let value = environment.last(where: { $0.0 == name })?.1 {
                    result += value
                } else {
                    result += "$(" + name + ")"
                }
                rest = after[after.index(after: close)...]
            } else {
                result += "$"
                rest = after
            }
        }
        return result + rest
    }
}
