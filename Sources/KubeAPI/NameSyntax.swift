/// The syntax rules for object names (RFC 1123 / RFC 1035 DNS names) and for label keys and
/// values. Each check returns what is wrong, or nil.
enum NameSyntax {
    static func isLowerAlnum(_ c: Character) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
    static func isAlnum(_ c: Character) -> Bool { isLowerAlnum(c) || ("A"..."Z").contains(c) }

    /// A lowercase RFC 1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    static func dns1123LabelProblem(_ name: String) -> String? {
        if name.count > 63 { return "must be no more than 63 characters" }
        guard isLabel(name) else {
            return "a lowercase RFC 1123 label must be lowercase letters, digits or '-', starting and ending with a letter or digit (e.g. 'my-name' or '123-abc')"
        }
        return nil
    }

    /// A lowercase RFC 1123 subdomain: dot-separated labels, at most 253 characters.
    static func dns1123SubdomainProblem(_ name: String) -> String? {
        if name.count > 253 { return "must be no more than 253 characters" }
        guard !name.isEmpty, name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isLabel(String($0)) }) else {
            return "a lowercase RFC 1123 subdomain must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (e.g. 'example.com')"
        }
        return nil
    }

    /// An RFC 1035 label (service names): like an RFC 1123 label but starting with a letter.
    static func dns1035LabelProblem(_ name: String) -> String? {
        if name.count > 63 { return "must be no more than 63 characters" }
        guard isLabel(name), let first = name.first, ("a"..."z").contains(first) else {
            return "a DNS-1035 label must be lowercase letters, digits or '-', starting with a letter and ending with a letter or digit (e.g. 'my-name' or 'abc-123')"
        }
        return nil
    }

    static func isLabel(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return text.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: label names and label values.
    static func isQualifiedPart(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, isAlnum(first), isAlnum(last) else { return false }
        return text.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

/// Label keys (`[prefix/]name`) and values.
enum LabelSyntax {
    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "label key '\(key)' may contain at most one '/'" }
        let name = String(parts.last ?? "")
        if parts.count == 2 {
            let prefix = String(parts[0])
            if prefix.isEmpty { return "label key '\(key)' has an empty prefix before '/'" }
            if let problem = NameSyntax.dns1123SubdomainProblem(prefix) { return "label key '\(key)': prefix part \(problem)" }
        }
        if name.isEmpty { return "label key '\(key)': name part must be non-empty" }
        if name.count > 63 { return "label key '\(key)': name part must be no more than 63 characters" }
        guard NameSyntax.isQualifiedPart(name) else {
            return "label key '\(key)': name part must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. 'MyName', 'my.name' or '123-abc')"
        }
        return nil
    }

    static func valueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.count > 63 { return "label value '\(value)' must be no more than 63 characters" }
        guard NameSyntax.isQualifiedPart(value) else {
            return "label value '\(value)' must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. 'MyValue', 'my_value' or '12345')"
        }
        return nil
    }
}
