/// The admission step of create and update, per resource, as the real API server runs it:
/// validation (422 Invalid naming every bad field) and defaulting. Service IPs are chosen here
/// but only marked as allocated by the store once the write happens.
struct Admission {
    let resource: KubeResource
    let now: String

    /// Validates and defaults `object`; `old` is the stored object on update.
    func admit(_ object: inout JSON, old: JSON?, clusterIPs: ClusterIPAllocator) throws(KubeError) {
        let name = object.string("metadata", "name") ?? ""
        var errors = MetadataValidation.validate(object, resource: resource)
        switch resource {
        case .pods:
            errors += PodSpecAdmission.validate(object["spec"], at: "spec")
            guard errors.isEmpty else { throw KubeError.invalid(kind: resource.kind, name: name, errors) }
            var spec = object["spec"] ?? .emptyObject
            PodSpecAdmission.applyDefaults(&spec)
            object["spec"] = spec
            if old == nil { object["status"] = ["phase": "Pending", "qosClass": .string(PodSpecAdmission.qosClass(spec))] }
        case .replicationControllers:
            try ReplicationControllerAdmission.admit(&object, old: old, errors: errors)
        case .services:
            try ServiceAdmission.admit(&object, old: old, errors: errors, clusterIPs: clusterIPs)
        case .events:
            if object["involvedObject"]?.objectValue == nil { errors.append(.required("involvedObject")) }
            guard errors.isEmpty else { throw KubeError.invalid(kind: resource.kind, name: name, errors) }
            if object["firstTimestamp"] == nil || object["firstTimestamp"] == .null { object["firstTimestamp"] = .string(now) }
            if object["lastTimestamp"] == nil || object["lastTimestamp"] == .null { object["lastTimestamp"] = object["firstTimestamp"] }
            if object["count"] == nil { object["count"] = 1 }
            if object["type"] == nil { object["type"] = "Normal" }
            if object["source"] == nil { object["source"] = .emptyObject }
        case .namespaces:
            guard errors.isEmpty else { throw KubeError.invalid(kind: resource.kind, name: name, errors) }
            if object["spec"] == nil { object["spec"] = ["finalizers": ["kubernetes"]] }
            if old == nil { object["status"] = ["phase": "Active"] }
        default:
            guard errors.isEmpty else { throw KubeError.invalid(kind: resource.kind, name: name, errors) }
        }
    }
}

/// Checks every object's name, labels and annotations.
enum MetadataValidation {
    static func validate(_ object: JSON, resource: KubeResource) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.string("metadata", "name") ?? ""
        let problem: String?
        switch resource {
        case .services: problem = NameSyntax.dns1035LabelProblem(name)
        case .namespaces: problem = NameSyntax.dns1123LabelProblem(name)
        default: problem = NameSyntax.dns1123SubdomainProblem(name)
        }
        if let problem { errors.append(.invalid("metadata.name", .string(name), problem)) }
        if let labels = object[path: "metadata", "labels"], labels != .null {
            guard let members = labels.objectValue else { return errors + [.invalid("metadata.labels", labels, "must be a map of strings")] }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if let problem = LabelSyntax.keyProblem(key) { errors.append(.invalid("metadata.labels", .string(key), problem)) }
                guard let text = value.stringValue else {
                    errors.append(.invalid("metadata.labels", value, "label values must be strings"))
                    continue
                }
                if let problem = LabelSyntax.valueProblem(text) { errors.append(.invalid("metadata.labels", .string(text), problem)) }
            }
        }
        if let annotations = object[path: "metadata", "annotations"], annotations != .null {
            guard let members = annotations.objectValue, members.values.allSatisfy({ $0.stringValue != nil }) else {
                return errors + [.invalid("metadata.annotations", annotations, "must be a map of strings")]
            }
            for key in members.keys.sorted() {
                if let problem = LabelSyntax.keyProblem(key) { errors.append(.invalid("metadata.annotations", .string(key), problem)) }
            }
        }
        return errors
    }
}
