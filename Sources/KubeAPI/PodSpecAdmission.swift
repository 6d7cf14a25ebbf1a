/// Validation and defaulting of a pod spec, for pods (`spec`) and for the pod templates of
/// replication controllers (`spec.template.spec`). Fairway runs processes, so every container
/// needs a command; the image is accepted and shown but never pulled.
enum PodSpecAdmission {
    static let commandRequired = "Fairway runs processes, not images: give each container a command (image is shown but not pulled)"
    static let restartPolicies = ["Always", "OnFailure", "Never"]

    static func validate(_ spec: JSON?, at prefix: String) -> [FieldError] {
        guard let spec, spec.objectValue != nil else { return [.required(prefix)] }
        var errors: [FieldError] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("\(prefix).containers")) }
        var names: Set<String> = []
        for (list, items) in [("initContainers", spec["initContainers"]?.arrayValue ?? []), ("containers", containers)] {
            for (index, container) in items.enumerated() {
                let field = "\(prefix).\(list)[\(index)]"
                errors += validateContainer(container, at: field)
                if let name = container.string("name"), !name.isEmpty {
                    if !names.insert(name).inserted { errors.append(FieldError("\(field).name", .duplicate(.string(name)))) }
                }
            }
        }
        if let policy = spec["restartPolicy"], !(policy.stringValue.map(restartPolicies.contains) ?? false) {
            errors.append(FieldError("\(prefix).restartPolicy", .notSupported(policy, restartPolicies)))
        }
        if let grace = spec["terminationGracePeriodSeconds"], (grace.intValue ?? -1) < 0 {
            errors.append(.invalid("\(prefix).terminationGracePeriodSeconds", grace, "must be a non-negative integer"))
        }
        if let selector = spec["nodeSelector"], selector.objectValue == nil || selector.stringMap().count != selector.objectValue?.count {
            errors.append(.invalid("\(prefix).nodeSelector", selector, "must be a map of strings"))
        }
        return errors
    }

    static func validateContainer(_ container: JSON, at field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let name = container.string("name"), !name.isEmpty {
            if let problem = NameSyntax.dns1123LabelProblem(name) { errors.append(.invalid("\(field).name", .string(name), problem)) }
        } else {
            errors.append(.required("\(field).name"))
        }
        switch container["command"] {
        case nil, .null?:
            errors.append(.required("\(field).command", commandRequired))
        case .array(let command)? where command.isEmpty:
            errors.append(.required("\(field).command", commandRequired))
        case .array(let command)? where command.allSatisfy({ $0.stringValue != nil }):
            break
        case let other?:
            errors.append(.invalid("\(field).command", other, "must be a list of strings, e.g. [\"sleep\", \"3600\"]"))
        }
        if let args = container["args"], args.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
            errors.append(.invalid("\(field).args", args, "must be a list of strings"))
        }
        for (index, port) in (container["ports"]?.arrayValue ?? []).enumerated() {
            let number = port["containerPort"]?.intValue ?? 0
            if !(1...65535).contains(number) {
                errors.append(FieldError("\(field).ports[\(index)].containerPort", port["containerPort"].map { .invalid($0) } ?? .required,
                                         "must be between 1 and 65535, inclusive"))
            }
        }
        for (index, variable) in (container["env"]?.arrayValue ?? []).enumerated() where (variable.string("name") ?? "").isEmpty {
            errors.append(.required("\(field).env[\(index)].name"))
        }
        errors += validateResources(container["resources"], at: "\(field).resources")
        return errors
    }

    static func validateResources(_ resources: JSON?, at field: String) -> [FieldError] {
        guard let resources else { return [] }
        var errors: [FieldError] = []
        var parsed: [String: [String: Double]] = [:]
        for kind in ["requests", "limits"] {
            for (name, value) in resources[kind]?.objectValue ?? [:] {
                let path = "\(field).\(kind)[\(name)]"
                guard let quantity = Quantity(json: value) else {
                    errors.append(.invalid(path, value, "must be a quantity such as 500m, 1, 0.5 (cpu) or 64Mi, 1Gi, 128M (memory)"))
                    continue
                }
                if quantity.value < 0 {
                    errors.append(.invalid(path, value, "must be greater than or equal to 0"))
                    continue
                }
                parsed[kind, default: [:]][name] = quantity.value
            }
        }
        for (name, request) in parsed["requests"] ?? [:] {
            if let limit = parsed["limits"]?[name], request > limit {
                let shown = resources[path: "requests", name] ?? .null
                errors.append(.invalid("\(field).requests", shown, "must be less than or equal to \(name) limit of \(resources[path: "limits", name]?.stringValue ?? String(limit))"))
            }
        }
        return errors
    }

    /// The defaults the real API server fills in, so clients see the same objects.
    static func applyDefaults(_ spec: inout JSON) {
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        if spec["dnsPolicy"] == nil { spec["dnsPolicy"] = "ClusterFirst" }
        if spec["terminationGracePeriodSeconds"] == nil { spec["terminationGracePeriodSeconds"] = 30 }
        if spec["schedulerName"] == nil { spec["schedulerName"] = "default-scheduler" }
        if spec["securityContext"] == nil { spec["securityContext"] = .emptyObject }
        for list in ["initContainers", "containers"] {
            guard let containers = spec[list]?.arrayValue else { continue }
            spec[list] = .array(containers.map(defaultContainer))
        }
    }

    static func defaultContainer(_ input: JSON) -> JSON {
        var container = input
        if container["terminationMessagePath"] == nil { container["terminationMessagePath"] = "/dev/termination-log" }
        if container["terminationMessagePolicy"] == nil { container["terminationMessagePolicy"] = "File" }
        if container["imagePullPolicy"] == nil { container["imagePullPolicy"] = "IfNotPresent" }
        var resources = container["resources"] ?? .emptyObject
        // Requests default to limits, as the real server does.
        for (name, limit) in resources["limits"]?.objectValue ?? [:] where resources[path: "requests", name] == nil {
            resources[path: "requests", name] = limit
        }
        container["resources"] = resources
        if let ports = container["ports"]?.arrayValue {
            container["ports"] = .array(ports.map { port in
                var port = port
                if port["protocol"] == nil { port["protocol"] = "TCP" }
                return port
            })
        }
        return container
    }

    /// Guaranteed when every container limits cpu and memory with requests equal to limits;
    /// BestEffort when none asks for either; Burstable otherwise.
    static func qosClass(_ spec: JSON) -> String {
        let containers = (spec["initContainers"]?.arrayValue ?? []) + (spec["containers"]?.arrayValue ?? [])
        var anything = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            for kind in ["cpu", "memory"] {
                let request = container[path: "resources", "requests", kind].flatMap { Quantity(json: $0)?.value }
                let limit = container[path: "resources", "limits", kind].flatMap { Quantity(json: $0)?.value }
                if (request ?? 0) > 0 || (limit ?? 0) > 0 { anything = true }
                if limit == nil || (request ?? limit) != limit { guaranteed = false }
            }
        }
        if !anything { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
