import KubeAPI
import PodCore

/// What the bench's pods shell reads from a pod object: the subset of PodFramework's (internal)
/// `PodManifest` that placement and a launch need, read the same way (requests, else limits, else
/// the same defaults; the controlling owner reference as `kind/namespace/name`).
struct PodBenchManifest: Sendable {
    struct Container: Sendable {
        var name: String
        var arguments: [String]
        var cpus: Double
        var memoryMB: Double
    }

    var uid: String
    var namespace: String
    var name: String
    var containers: [Container]
    var restartPolicy: String
    var nodeSelector: [String: String]
    var controllerKey: String?
    var createdAt: Double

    init(json pod: JSON) {
        uid = pod.string("metadata", "uid") ?? ""
        let namespace = pod.string("metadata", "namespace") ?? "default"
        self.namespace = namespace
        name = pod.string("metadata", "name") ?? ""
        containers = (pod[path: "spec", "containers"]?.arrayValue ?? []).map { container in
            let requests = container[path: "resources", "requests"], limits = container[path: "resources", "limits"]
            return Container(
                name: container.string("name") ?? "",
                arguments: ((container["command"]?.arrayValue ?? []) + (container["args"]?.arrayValue ?? [])).compactMap(\.stringValue),
                cpus: (requests?["cpu"]).flatMap(Quantity.cpus) ?? (limits?["cpu"]).flatMap(Quantity.cpus) ?? 0.1,
                memoryMB: (requests?["memory"]).flatMap(Quantity.megabytes) ?? (limits?["memory"]).flatMap(Quantity.megabytes) ?? 64)
        }
        restartPolicy = pod.string("spec", "restartPolicy") ?? "Always"
        nodeSelector = pod.stringMap("spec", "nodeSelector")
        let owner = (pod[path: "metadata", "ownerReferences"]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }
        controllerKey = owner.flatMap { reference in
            reference.string("name").map { "\(reference.string("kind")?.lowercased() ?? "owner")/\(namespace)/\($0)" }
        }
        createdAt = pod.string("metadata", "creationTimestamp").flatMap(Timestamps.parse)?.timeIntervalSince1970 ?? 0
    }

    var definition: PodDefinition {
        PodDefinition(
            request: PodRequest(uid: uid, namespace: namespace, name: name, cpus: containers.reduce(0) { $0 + $1.cpus },
                                memMB: containers.reduce(0) { $0 + $1.memoryMB }, nodeSelector: nodeSelector,
                                controllerKey: controllerKey, createdAt: createdAt),
            containers: containers.map(\.name))
    }
}
