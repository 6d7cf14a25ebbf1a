import Foundation
import KubeAPI
import PodCore

/// What the pods framework needs of a pod object, read once from its JSON: identity, placement
/// inputs and each container's process. The API server has already validated the object.
struct PodManifest: Sendable, Equatable {
    var uid: String
    var namespace: String
    var name: String
    var labels: [String: String]
    var containers: [ContainerManifest]
    var restartPolicy: String
    var nodeSelector: [String: String]
    /// `rc/NAMESPACE/NAME` of the controller owning the pod, for spreading its replicas.
    var controllerKey: String?
    var createdAt: Double

    /// Requests that Kubernetes leaves empty still need resources on Mesos: a container without
    /// requests or limits gets these (the kube-scheduler scores such pods with similar figures).
    static let defaultCPUs = 0.1
    static let defaultMemoryMB = 64.0

    init(json pod: JSON) {
        uid = pod.string("metadata", "uid") ?? ""
        namespace = pod.string("metadata", "namespace") ?? "default"
        name = pod.string("metadata", "name") ?? ""
        labels = pod.stringMap("metadata", "labels")
        containers = (pod[path: "spec", "containers"]?.arrayValue ?? []).map(ContainerManifest.init(json:))
        restartPolicy = pod.string("spec", "restartPolicy") ?? "Always"
        nodeSelector = pod.stringMap("spec", "nodeSelector")
        let owner = (pod[path: "metadata", "ownerReferences"]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }
        controllerKey = owner.flatMap { reference in
            reference.string("name").map { "\(reference.string("kind")?.lowercased() ?? "owner")/\(pod.string("metadata", "namespace") ?? "default")/\($0)" }
        }
        createdAt = pod.string("metadata", "creationTimestamp").flatMap(Timestamps.parse)?.timeIntervalSince1970 ?? 0
    }

    var cpus: Double { containers.reduce(0) { $0 + $1.cpus } }
    var memoryMB: Double { containers.reduce(0) { $0 + $1.memoryMB } }

    var definition: PodDefinition {
        PodDefinition(
            request: PodRequest(uid: uid, namespace: namespace, name: name, cpus: cpus, memMB: memoryMB,
                                nodeSelector: nodeSelector, controllerKey: controllerKey, createdAt: createdAt),
            containers: containers.map(\.name),
            probedContainers: Set(containers.filter { $0.readiness != nil }.map(\.name)))
    }
}

/// One container: its process, environment, resources, ports and probes.
struct ContainerManifest: Sendable, Equatable {
    var name: String
    var image: String?
    var command: [String]
    var args: [String]
    var environment: [(name: String, value: String)]
    var workingDir: String?
    var cpus: Double
    var memoryMB: Double
    var ports: [(name: String?, port: Int)]
    var readiness: ProbeManifest?
    var liveness: ProbeManifest?

    init(json container: JSON) {
        name = container.string("name") ?? ""
        image = container.string("image")
        command = (container["command"]?.arrayValue ?? []).compactMap(\.stringValue)
        args = (container["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        environment = (container["env"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry.string("name") else { return nil }
            return (name, entry.string("value") ?? "")
        }
        workingDir = container.string("workingDir")
        let requests = container[path: "resources", "requests"], limits = container[path: "resources", "limits"]
        cpus = (requests?["cpu"]).flatMap(Quantity.cpus) ?? (limits?["cpu"]).flatMap(Quantity.cpus) ?? PodManifest.defaultCPUs
        memoryMB = (requests?["memory"]).flatMap(Quantity.megabytes) ?? (limits?["memory"]).flatMap(Quantity.megabytes)
            ?? PodManifest.defaultMemoryMB
        ports = (container["ports"]?.arrayValue ?? []).compactMap { port in
            port["containerPort"]?.intValue.map { (port.string("name"), Int($0)) }
        }
        readiness = container["readinessProbe"].flatMap(ProbeManifest.init(json:))
        liveness = container["livenessProbe"].flatMap(ProbeManifest.init(json:))
    }

    static func == (lhs: ContainerManifest, rhs: ContainerManifest) -> Bool {
        lhs.name == rhs.name && lhs.image == rhs.image && lhs.command == rhs.command && lhs.args == rhs.args
            && lhs.environment.map { "\($0.name)=\($0.value)" } == rhs.environment.map { "\($0.name)=\($0.value)" }
            && lhs.workingDir == rhs.workingDir && lhs.cpus == rhs.cpus && lhs.memoryMB == rhs.memoryMB
            && lhs.ports.map { "\($0.name ?? "")/\($0.port)" } == rhs.ports.map { "\($0.name ?? "")/\($0.port)" }
            && lhs.readiness == rhs.readiness && lhs.liveness == rhs.liveness
    }
}

/// An exec, HTTP or TCP probe with Kubernetes's timing fields and defaults.
struct ProbeManifest: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case exec([String])
        case http(path: String, port: Int)
        case tcp(port: Int)
    }

    var action: Action
    var initialDelaySeconds: Double
    var periodSeconds: Double
    var timeoutSeconds: Double
    var failureThreshold: Int

    init?(json probe: JSON) {
        if let command = probe[path: "exec", "command"]?.arrayValue {
            action = .exec(command.compactMap(\.stringValue))
        } else if let port = probe[path: "httpGet", "port"]?.intValue {
            action = .http(path: probe.string("httpGet", "path") ?? "/", port: Int(port))
        } else if let port = probe[path: "tcpSocket", "port"]?.intValue {
            action = .tcp(port: Int(port))
        } else {
            return nil
        }
        initialDelaySeconds = probe["initialDelaySeconds"]?.doubleValue ?? 0
        periodSeconds = probe["periodSeconds"]?.doubleValue ?? 10
        timeoutSeconds = probe["timeoutSeconds"]?.doubleValue ?? 1
        failureThreshold = Int(probe["failureThreshold"]?.intValue ?? 3)
    }
}
