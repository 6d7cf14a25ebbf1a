/// ReplicationController admission: the selector defaults to the template's labels and must
/// match them, replicas default to 1, the pod template is validated and defaulted like a pod,
/// and `generation` counts spec changes.
enum ReplicationControllerAdmission {
    static func admit(_ object: inout JSON, old: JSON?, errors initial: [FieldError]) throws(KubeError) {
        var errors = initial
        let name = object.string("metadata", "name") ?? ""
        var spec = object["spec"] ?? .emptyObject
        let templateLabels = spec.stringMap("template", "metadata", "labels")
        if spec["selector"] == nil || spec["selector"] == .null || spec["selector"]?.objectValue?.isEmpty == true {
            if !templateLabels.isEmpty { spec["selector"] = JSON(strings: templateLabels) }
        }
        let selector = spec.stringMap("selector")
        if spec["template"] == nil || spec["template"] == .null {
            errors.append(.required("spec.template"))
        } else {
            if selector.isEmpty { errors.append(.required("spec.selector")) }
            if !selector.isEmpty && !LabelSelector(matchLabels: selector).matches(templateLabels) {
                errors.append(.invalid("spec.template.metadata.labels", JSON(strings: templateLabels),
                                       "`selector` does not match template `labels`"))
            }
            errors += PodSpecAdmission.validate(spec[path: "template", "spec"], at: "spec.template.spec")
            if let policy = spec[path: "template", "spec", "restartPolicy"]?.stringValue, policy != "Always" {
                errors.append(FieldError("spec.template.spec.restartPolicy", .notSupported(.string(policy), ["Always"])))
            }
        }
        if spec["replicas"] == nil || spec["replicas"] == .null { spec["replicas"] = 1 }
        if let replicas = spec["replicas"], (replicas.intValue ?? -1) < 0 {
            errors.append(.invalid("spec.replicas", replicas, "must be greater than or equal to 0"))
        }
        guard errors.isEmpty else { throw KubeError.invalid(kind: "ReplicationController", name: name, errors) }
        if var podSpec = spec[path: "template", "spec"] {
            PodSpecAdmission.applyDefaults(&podSpec)
            spec[path: "template", "spec"] = podSpec
        }
        object["spec"] = spec
        if object[path: "metadata", "labels"]?.objectValue?.isEmpty ?? true, !templateLabels.isEmpty {
            object[path: "metadata", "labels"] = JSON(strings: templateLabels)
        }
        if let old {
            let generation = old[path: "metadata", "generation"]?.intValue ?? 1
            object[path: "metadata", "generation"] = .int(old["spec"] == spec ? generation : generation + 1)
        } else {
            object[path: "metadata", "generation"] = 1
            object["status"] = ["replicas": 0]
        }
    }
}
