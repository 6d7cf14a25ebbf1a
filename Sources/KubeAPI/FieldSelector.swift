/// A field selector (`metadata.name=web`, `status.phase!=Running`,
/// `involvedObject.uid=...,involvedObject.name=web`): equality tests on a few fields each
/// resource supports. kubectl uses it to find a pod's events and to wait for a deletion.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    public struct Requirement: Sendable, Equatable {
        public var field: String
        public var equals: Bool
        public var value: String

        public init(field: String, equals: Bool, value: String) {
            self.field = field
            self.equals = equals
            self.value = value
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    /// `metadata.name=<name>`: a watch or list of one object.
    public static func name(_ name: String) -> FieldSelector {
        FieldSelector(requirements: [Requirement(field: "metadata.name", equals: true, value: name)])
    }

    public var isEmpty: Bool { requirements.isEmpty }

    /// Parses `a=b,c==d,e!=f` (`\,`, `\=` and `\\` escape). Throws 400 BadRequest.
    public init(parsing text: String) throws(KubeError) {
        requirements = []
        for term in Self.splitTerms(text) where !term.trimmingSpaces.isEmpty {
            guard let parsed = Self.parseTerm(term) else {
                throw KubeError.badRequest("invalid field selector: '\(term)': expected field=value, field==value or field!=value")
            }
            requirements.append(parsed)
        }
    }

    /// Throws 400 BadRequest when a field is not one `resource` can be selected by.
    public func validate(for resource: KubeResource) throws(KubeError) {
        for requirement in requirements where !ObjectFields.supported(resource).contains(requirement.field) {
            throw KubeError.badRequest("field label not supported: \(requirement.field) (\(resource.name) can be selected by \(ObjectFields.supported(resource).joined(separator: ", ")))")
        }
    }

    public func matches(_ object: JSON, resource: KubeResource) -> Bool {
        requirements.allSatisfy { requirement in
            let value = ObjectFields.value(requirement.field, of: object, resource: resource) ?? ""
            return (value == requirement.value) == requirement.equals
        }
    }

    public var description: String {
        requirements.map { "\($0.field)\($0.equals ? "=" : "!=")\($0.value)" }.joined(separator: ",")
    }

    static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        terms.append(current)
        return terms
    }

    static func parseTerm(_ term: String) -> Requirement? {
        let characters = Array(term)
        var index = 0
        while index < characters.count {
            if characters[index] == "\\" {
                index += 2
                continue
            }
            if characters[index] == "!" && index + 1 < characters.count && characters[index + 1] == "=" {
                return make(characters, fieldEnd: index, valueStart: index + 2, equals: false)
            }
            if characters[index] == "=" {
                let next = index + 1 < characters.count && characters[index + 1] == "=" ? index + 2 : index + 1
                return make(characters, fieldEnd: index, valueStart: next, equals: true)
            }
            index += 1
        }
        return nil
    }

    static func make(_ characters: [Character], fieldEnd: Int, valueStart: Int, equals: Bool) -> Requirement? {
        let field = String(characters[..<fieldEnd]).trimmingSpaces
        guard !field.isEmpty else { return nil }
        return Requirement(field: field, equals: equals, value: unescape(String(characters[valueStart...])))
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
