/// The `autoscaling/v1` `Scale` view of a ReplicationController (`/scale`), which `kubectl
/// scale` reads and patches.
enum Scale {
    static func of(_ controller: JSON) -> JSON {
        var metadata: JSON = .emptyObject
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = controller[path: "metadata", key] { metadata[key] = value }
        }
        let selector = LabelSelector(matchLabels: controller.stringMap("spec", "selector"))
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
                "spec": ["replicas": controller[path: "spec", "replicas"] ?? 0],
                "status": ["replicas": controller[path: "status", "replicas"] ?? 0, "selector": .string(selector.description)]]
    }

    /// The controller with the replicas a Scale asks for.
    static func apply(_ scale: JSON, to controller: JSON) throws(KubeError) -> JSON {
        let name = controller.string("metadata", "name") ?? ""
        if let kind = scale.string("kind"), kind != "Scale" {
            throw KubeError.badRequest("the body is a \(kind), expected a Scale (autoscaling/v1)")
        }
        guard let replicas = scale[path: "spec", "replicas"]?.intValue, replicas >= 0 else {
            throw KubeError.invalid(kind: "Scale", name: name, [.invalid("spec.replicas", scale[path: "spec", "replicas"] ?? .null,
                                                                         "must be an integer greater than or equal to 0")])
        }
        var updated = controller
        updated[path: "spec", "replicas"] = .int(replicas)
        if let version = scale.string("metadata", "resourceVersion"), !version.isEmpty {
            updated[path: "metadata", "resourceVersion"] = .string(version)
        }
        return updated
    }
}
