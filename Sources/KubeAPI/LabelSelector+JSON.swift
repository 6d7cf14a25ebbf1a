/// Label selectors written as objects (`{matchLabels, matchExpressions}`, as deployments and
/// jobs carry them) and as plain maps (ReplicationControllers, Services).
extension LabelSelector {
    /// From `{matchLabels: {...}, matchExpressions: [{key, operator: In|NotIn|Exists|DoesNotExist, values}]}`.
    public init(json: JSON) throws(KubeError) {
        self.init(matchLabels: json.stringMap("matchLabels"))
        for (index, expression) in (json["matchExpressions"]?.arrayValue ?? []).enumerated() {
            let field = "matchExpressions[\(index)]"
            guard let key = expression.string("key"), !key.isEmpty else { throw KubeError.badRequest("\(field).key: Required value") }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            let op: Operator
            switch expression.string("operator") {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            case let other:
                throw KubeError.badRequest("\(field).operator: Unsupported value: \"\(other ?? "")\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"")
            }
            if (op == .in || op == .notIn) && values.isEmpty {
                throw KubeError.badRequest("\(field).values: Required value: must be specified when `operator` is 'In' or 'NotIn'")
            }
            requirements.append(Requirement(key: key, op: op, values: values))
        }
    }

    /// From a plain `{key: value}` map, or nil when `json` is not an object.
    public init?(map json: JSON?) {
        guard let json, json.objectValue != nil else { return nil }
        self.init(matchLabels: json.stringMap())
    }
}
