/// A malformed resource or attribute string, with the offending part quoted.
public struct ResourceSyntaxError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Resources {
    /// Parses Mesos's text form: `cpus:4;mem:8192;disk:20000;ports:[31000-32000]`, with optional
    /// static reservations written `cpus(batch):2` and sets written `{a,b}`.
    public init(parsing text: String) throws(ResourceSyntaxError) {
        self.init()
        for item in text.split(separator: ";", omittingEmptySubsequences: true) {
            let entry = item.trimmingWhitespace()
            guard !entry.isEmpty else { continue }
            guard let colon = entry.firstIndex(of: ":") else {
                throw ResourceSyntaxError("resource '\(entry)' is not NAME:VALUE")
            }
            let (name, role) = try Self.parseNameAndRole(String(entry[..<colon]))
            let value = try ResourceValue(parsing: String(entry[entry.index(after: colon)...]), of: name)
            if case .scalar(let scalar) = value, scalar.millis < 0 {
                throw ResourceSyntaxError("resource '\(name)' is negative")
            }
            add(ResourceKey(name: name, role: role), value)
        }
    }

    private static func parseNameAndRole(_ text: String) throws(ResourceSyntaxError) -> (String, String?) {
        let trimmed = text.trimmingWhitespace()
        guard let open = trimmed.firstIndex(of: "(") else {
            guard !trimmed.isEmpty else { throw ResourceSyntaxError("a resource has an empty name") }
            return (trimmed, nil)
        }
        guard trimmed.hasSuffix(")") else { throw ResourceSyntaxError("resource '\(trimmed)' has an unclosed role") }
        let name = String(trimmed[..<open])
        let role = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard !name.isEmpty, !role.isEmpty else { throw ResourceSyntaxError("resource '\(trimmed)' needs NAME(ROLE)") }
        return (name, role == "*" ? nil : role)
    }
}

extension ResourceValue {
    /// Parses `4`, `0.5`, `[31000-32000,33000-33010]` or `{a,b}`.
    public init(parsing raw: String, of name: String) throws(ResourceSyntaxError) {
        let text = raw.trimmingWhitespace()
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ResourceSyntaxError("'\(name)': ranges must end with ']'") }
            var ranges = ValueRanges()
            for part in text.dropFirst().dropLast().split(separator: ",") {
                let bounds = part.split(separator: "-").map { $0.trimmingWhitespace() }
                guard bounds.count == 2, let lower = UInt64(bounds[0]), let upper = UInt64(bounds[1]), lower <= upper else {
                    throw ResourceSyntaxError("'\(name)': '\(part)' is not a range BEGIN-END")
                }
                ranges.insert(lower...upper)
            }
            self = .ranges(ranges)
        } else if text.hasPrefix("{") {
            guard text.hasSuffix("}") else { throw ResourceSyntaxError("'\(name)': sets must end with '}'") }
            let items = text.dropFirst().dropLast().split(separator: ",").map { $0.trimmingWhitespace() }
            self = .set(Set(items.filter { !$0.isEmpty }))
        } else if let number = Double(text), number.isFinite {
            self = .scalar(Scalar(number))
        } else {
            throw ResourceSyntaxError("'\(name)': '\(text)' is not a number, [ranges] or {set}")
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
