/// How a strategic merge patch treats each list: the patch strategies the Kubernetes Go types
/// declare for the fields Fairway serves (lists not named here are replaced whole).
enum ListStrategy: Equatable {
    case replace
    /// Objects merge with the original's object that has the same value of this key.
    case mergeByKey(String)
    /// A list of scalars merges as a set union (metadata.finalizers).
    case mergePrimitives
}

extension StrategicMergePatch {
    static let containerLists: Set<String> = ["containers", "initContainers", "ephemeralContainers"]

    /// The strategy for the list `field`, reached through the object keys `path` (list items add
    /// no key: a container's ports are at `spec.containers.ports`).
    func strategy(for field: String, at path: [String]) -> ListStrategy {
        let parent = path.last
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets", "env":
            return .mergeByKey("name")
        case "volumeMounts": return .mergeByKey("mountPath")
        case "volumeDevices": return .mergeByKey("devicePath")
        case "hostAliases", "podIPs", "hostIPs": return .mergeByKey("ip")
        case "ports":
            if let parent, Self.containerLists.contains(parent) { return .mergeByKey("containerPort") }
            if resource == .services && path == ["spec"] { return .mergeByKey("port") }
            return .replace
        case "conditions": return parent == "status" ? .mergeByKey("type") : .replace
        case "ownerReferences": return parent == "metadata" ? .mergeByKey("uid") : .replace
        case "finalizers": return parent == "metadata" ? .mergePrimitives : .replace
        default: return .replace
        }
    }
}
