/// The `kubectl get services` and `kubectl get rc` columns.
enum ServiceRows {
    static let columns: [KubeTable.Column] = [
        KubeTable.name, .init("Type"), .init("Cluster-IP"), .init("External-IP"), .init("Port(s)"), KubeTable.age,
        .init("Selector", priority: 1),
    ]

    static func cells(_ service: JSON, age: JSON) -> [JSON] {
        let ports = (service[path: "spec", "ports"]?.arrayValue ?? []).map { port in
            "\(port["port"]?.intValue ?? 0)/\(port.string("protocol") ?? "TCP")"
        }
        let external = (service[path: "spec", "externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
        return [.string(service.string("metadata", "name") ?? ""), .string(service.string("spec", "type") ?? "ClusterIP"),
                .string(PodRows.nonEmpty(service.string("spec", "clusterIP"))),
                .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
                .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), age,
                .string(selectorText(service.stringMap("spec", "selector")))]
    }

    static func selectorText(_ selector: [String: String]) -> String {
        selector.isEmpty ? "<none>" : LabelSelector(matchLabels: selector).description
    }
}

enum ControllerRows {
    static let columns: [KubeTable.Column] = [
        KubeTable.name, .init("Desired", "integer"), .init("Current", "integer"), .init("Ready", "integer"), KubeTable.age,
        .init("Containers", priority: 1), .init("Images", priority: 1), .init("Selector", priority: 1),
    ]

    static func cells(_ controller: JSON, age: JSON) -> [JSON] {
        let containers = controller[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        return [.string(controller.string("metadata", "name") ?? ""),
                .int(controller[path: "spec", "replicas"]?.intValue ?? 0),
                .int(controller[path: "status", "replicas"]?.intValue ?? 0),
                .int(controller[path: "status", "readyReplicas"]?.intValue ?? 0), age,
                .string(containers.compactMap { $0.string("name") }.joined(separator: ",")),
                .string(containers.compactMap { $0.string("image") }.joined(separator: ",")),
                .string(ServiceRows.selectorText(controller.stringMap("spec", "selector")))]
    }
}
