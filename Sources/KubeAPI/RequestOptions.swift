/// The query parameters and headers of an API request that change what it does.
struct RequestOptions {
    var watch = false
    var labels: LabelSelector?
    var fields: FieldSelector?
    var resourceVersion: UInt64?
    var timeoutSeconds: Int?
    var dryRun = false
    var asTable = false
    var includeObject = KubeTable.IncludeObject.metadata
    var propagationPolicy: PropagationPolicy?

    /// Parses what clients send; anything malformed is a 400 naming the parameter.
    init(query: [String: String], accept: String?) throws(KubeError) {
        if let value = query["watch"] { watch = try Self.parseBool(value, name: "watch") }
        if let text = query["labelSelector"], !text.isEmpty { labels = try LabelSelector(parsing: text) }
        if let text = query["fieldSelector"], !text.isEmpty { fields = try FieldSelector(parsing: text) }
        if let text = query["resourceVersion"], !text.isEmpty {
            guard let version = UInt64(text) else {
                throw KubeError.badRequest("resourceVersion \"\(text)\" is not valid: resource versions are decimal integers from a list or an object")
            }
            resourceVersion = version
        }
        if let text = query["timeoutSeconds"], !text.isEmpty {
            guard let seconds = Int(text), seconds >= 0 else { throw KubeError.badRequest("timeoutSeconds \"\(text)\" must be a non-negative integer") }
            timeoutSeconds = seconds
        }
        if let value = query["dryRun"], !value.isEmpty {
            guard value == "All" else { throw KubeError.badRequest("dryRun \"\(value)\" is not supported: the only dry-run mode is All") }
            dryRun = true
        }
        if let value = query["includeObject"], !value.isEmpty {
            guard let parsed = KubeTable.IncludeObject(rawValue: value) else {
                throw KubeError.badRequest("includeObject \"\(value)\" must be one of None, Metadata, Object")
            }
            includeObject = parsed
        }
        if let value = query["propagationPolicy"], !value.isEmpty {
            guard let parsed = PropagationPolicy(rawValue: value) else {
                throw KubeError.badRequest("propagationPolicy \"\(value)\" is not one of Background, Foreground, Orphan")
            }
            propagationPolicy = parsed
        }
        asTable = Self.acceptsTable(accept)
    }

    /// Booleans the way Go's `strconv.ParseBool` reads them (the Python client sends `True`).
    static func parseBool(_ text: String, name: String) throws(KubeError) -> Bool {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False", "": return false
        default: throw KubeError.badRequest("\(name)=\(text) is not a boolean (use true or false)")
        }
    }

    /// True when the Accept header asks for a Table (`application/json;as=Table;...`).
    static func acceptsTable(_ accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { range in
            range.split(separator: ";").dropFirst().contains { $0.trimmingCharacters(in: " ") == "as=Table" }
        }
    }
}

extension Substring {
    func trimmingCharacters(in characters: Character) -> String {
        var text = self
        while text.first == characters { text.removeFirst() }
        while text.last == characters { text.removeLast() }
        return String(text)
    }
}
