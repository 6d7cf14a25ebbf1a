/// The fields each resource can be selected by (field selectors), and their values in an object.
enum ObjectFields {
    static let common = ["metadata.name", "metadata.namespace"]

    static let paths: [String: [String: [String]]] = [
        "pods": [
            "spec.nodeName": ["spec", "nodeName"], "spec.restartPolicy": ["spec", "restartPolicy"],
            "spec.schedulerName": ["spec", "schedulerName"], "spec.serviceAccountName": ["spec", "serviceAccountName"],
            "status.phase": ["status", "phase"], "status.podIP": ["status", "podIP"],
            "status.nominatedNodeName": ["status", "nominatedNodeName"],
        ],
        "events": [
            "involvedObject.kind": ["involvedObject", "kind"], "involvedObject.namespace": ["involvedObject", "namespace"],
            "involvedObject.name": ["involvedObject", "name"], "involvedObject.uid": ["involvedObject", "uid"],
            "involvedObject.apiVersion": ["involvedObject", "apiVersion"],
            "involvedObject.resourceVersion": ["involvedObject", "resourceVersion"],
            "involvedObject.fieldPath": ["involvedObject", "fieldPath"],
            "reason": ["reason"], "type": ["type"], "reportingComponent": ["reportingComponent"],
            "source": ["source", "component"],
        ],
        "services": ["spec.clusterIP": ["spec", "clusterIP"], "spec.type": ["spec", "type"]],
        "replicationcontrollers": [:],
        "namespaces": ["status.phase": ["status", "phase"]],
        "endpoints": [:],
    ]

    static func supported(_ resource: KubeResource) -> [String] {
        common + (paths[resource.name] ?? [:]).keys.sorted() + (resource == .replicationControllers ? ["status.replicas"] : [])
    }

    /// The field's value as a string ("" when absent), or nil for a field the resource lacks.
    static func value(_ field: String, of object: JSON, resource: KubeResource) -> String? {
        switch field {
        case "metadata.name": return object.string("metadata", "name") ?? ""
        case "metadata.namespace": return object.string("metadata", "namespace") ?? ""
        case "status.replicas" where resource == .replicationControllers:
            return String(object[path: "status", "replicas"]?.intValue ?? 0)
        default:
            guard let path = paths[resource.name]?[field] else { return nil }
            guard let value = object.value(at: path[...]) else { return "" }
            switch value {
            case .string(let text): return text
            case .null: return ""
            default: return value.text
            }
        }
    }
}
