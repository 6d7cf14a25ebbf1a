/// Path access into nested objects: `object[path: "metadata", "name"]`. Kubernetes code reads
/// and writes deep fields all the time; this keeps it to one line without force unwraps.
extension JSON {
    public subscript(path keys: String...) -> JSON? {
        get { value(at: keys[...]) }
        set { setValue(newValue, at: keys[...]) }
    }

    /// The value at `keys` (an array of object keys), or nil when any step is missing.
    public func value(at keys: ArraySlice<String>) -> JSON? {
        guard let first = keys.first else { return self }
        return self[first]?.value(at: keys.dropFirst())
    }

    /// Sets (or with nil, removes) the value at `keys`, creating intermediate objects.
    public mutating func setValue(_ value: JSON?, at keys: ArraySlice<String>) {
        guard let first = keys.first else {
            self = value ?? .null
            return
        }
        if keys.count == 1 {
            self[first] = value
            return
        }
        var child = self[first] ?? .emptyObject
        if child.objectValue == nil { child = .emptyObject }
        child.setValue(value, at: keys.dropFirst())
        self[first] = child
    }

    /// The string at a path, or nil.
    public func string(_ keys: String...) -> String? { value(at: keys[...])?.stringValue }

    /// The object at a path as a `[String: String]` map of its string members (labels, selectors).
    public func stringMap(_ keys: String...) -> [String: String] {
        guard let members = value(at: keys[...])?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in members {
            if let text = value.stringValue { result[key] = text }
        }
        return result
    }

    /// Builds an object value from a `[String: String]` map.
    public init(strings: [String: String]) {
        self = .object(strings.mapValues { JSON.string($0) })
    }
}
