/// Service admission: type ClusterIP, a cluster IP from the service CIDR (or `None` for a
/// headless service), and ports with a protocol and a target port.
enum ServiceAdmission {
    static let protocols = ["TCP", "UDP", "SCTP"]

    static func admit(_ object: inout JSON, old: JSON?, errors initial: [FieldError], clusterIPs: ClusterIPAllocator) throws(KubeError) {
        var errors = initial
        let name = object.string("metadata", "name") ?? ""
        var spec = object["spec"] ?? .emptyObject
        let type = spec["type"] ?? "ClusterIP"
        if type != "ClusterIP" { errors.append(FieldError("spec.type", .notSupported(type, ["ClusterIP"]), "Fairway serves ClusterIP services only")) }
        spec["type"] = "ClusterIP"
        let ports = spec["ports"]?.arrayValue ?? []
        var checked: [JSON] = []
        var seenNames: Set<String> = []
        var seenPorts: Set<String> = []
        for (index, port) in ports.enumerated() {
            let field = "spec.ports[\(index)]"
            var port = port
            let number = port["port"]?.intValue ?? 0
            if port["port"] == nil {
                errors.append(.required("\(field).port"))
            } else if !(1...65535).contains(number) {
                errors.append(.invalid("\(field).port", port["port"] ?? .null, "must be between 1 and 65535, inclusive"))
            }
            if port["protocol"] == nil { port["protocol"] = "TCP" }
            if let proto = port["protocol"], !(proto.stringValue.map(protocols.contains) ?? false) {
                errors.append(FieldError("\(field).protocol", .notSupported(proto, protocols)))
            }
            if port["targetPort"] == nil || port["targetPort"] == .null { port["targetPort"] = .int(number) }
            let portName = port.string("name") ?? ""
            if ports.count > 1 && portName.isEmpty { errors.append(.required("\(field).name")) }
            if !portName.isEmpty && !seenNames.insert(portName).inserted { errors.append(FieldError("\(field).name", .duplicate(.string(portName)))) }
            if !seenPorts.insert("\(number)/\(port.string("protocol") ?? "")").inserted {
                errors.append(FieldError(field, .duplicate(["port": .int(number), "protocol": port["protocol"] ?? "TCP"])))
            }
            checked.append(port)
        }
        spec["ports"] = .array(checked)
        errors += clusterIP(&spec, old: old, clusterIPs: clusterIPs)
        guard errors.isEmpty else { throw KubeError.invalid(kind: "Service", name: name, errors) }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
        if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
        object["spec"] = spec
        if old == nil { object["status"] = ["loadBalancer": .emptyObject] }
    }

    /// Picks or checks `spec.clusterIP` and fills `spec.clusterIPs`.
    static func clusterIP(_ spec: inout JSON, old: JSON?, clusterIPs: ClusterIPAllocator) -> [FieldError] {
        var requested = spec.string("clusterIP") ?? spec[path: "clusterIPs"]?[0]?.stringValue ?? ""
        if let old {
            let current = old.string("spec", "clusterIP") ?? ""
            if requested.isEmpty { requested = current }
            if requested != current {
                return [.invalid("spec.clusterIPs[0]", .string(requested), "may not change once set")]
            }
            spec["clusterIP"] = .string(current)
            spec["clusterIPs"] = [.string(current)]
            return []
        }
        if requested == "None" {
            spec["clusterIP"] = "None"
            spec["clusterIPs"] = ["None"]
            return []
        }
        let ip: UInt32
        if requested.isEmpty {
            guard let free = clusterIPs.nextFree() else {
                return [.invalid("spec.clusterIPs", [], "failed to allocate IP: the service CIDR is full")]
            }
            ip = free
        } else {
            guard let parsed = ClusterIPAllocator.parse(requested) else {
                return [.invalid("spec.clusterIPs[0]", .string(requested), "must be a valid IPv4 address or None")]
            }
            guard clusterIPs.contains(parsed) else {
                return [.invalid("spec.clusterIPs", [.string(requested)], "failed to allocate IP \(requested): the provided IP is not in the service CIDR")]
            }
            guard !clusterIPs.isAllocated(parsed) else {
                return [.invalid("spec.clusterIPs", [.string(requested)], "failed to allocate IP \(requested): provided IP is already allocated")]
            }
            ip = parsed
        }
        let text = ClusterIPAllocator.format(ip)
        spec["clusterIP"] = .string(text)
        spec["clusterIPs"] = [.string(text)]
        return []
    }
}
