import Foundation

/// JSON patch (RFC 6902): a list of add/remove/replace/move/copy/test operations on JSON
/// pointers (`kubectl patch --type json`).
enum JSONPatch {
    static func apply(_ patch: JSON, to document: JSON) throws(PatchError) -> JSON {
        guard let operations = patch.arrayValue else { throw PatchError("a JSON patch must be an array of operations", malformed: true) }
        var result = document
        for (index, operation) in operations.enumerated() {
            guard let op = operation.string("op") else { throw PatchError("operation \(index) has no \"op\"", malformed: true) }
            guard let pathText = operation.string("path") else { throw PatchError("operation \(index) (\(op)) has no \"path\"", malformed: true) }
            let path = try pointer(pathText)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw PatchError("add at \(pathText) has no \"value\"", malformed: true) }
                try add(value, at: path, in: &result)
            case "remove":
                _ = try remove(at: path, in: &result, text: pathText)
            case "replace":
                guard let value = operation["value"] else { throw PatchError("replace at \(pathText) has no \"value\"", malformed: true) }
                _ = try remove(at: path, in: &result, text: pathText)
                try add(value, at: path, in: &result)
            case "move", "copy":
                guard let fromText = operation.string("from") else { throw PatchError("\(op) to \(pathText) has no \"from\"", malformed: true) }
                let from = try pointer(fromText)
                if op == "move" && path.count > from.count && Array(path.prefix(from.count)) == from {
                    throw PatchError("cannot move \(fromText) into its own child \(pathText)")
                }
                let value = op == "move" ? try remove(at: from, in: &result, text: fromText)
                    : try get(from, in: result, text: fromText)
                try add(value, at: path, in: &result)
            case "test":
                let actual = try get(path, in: result, text: pathText)
                guard let expected = operation["value"], equalValues(actual, expected) else {
                    throw PatchError("test at \(pathText) failed: the value is \(actual.text)")
                }
            default:
                throw PatchError("unknown operation \"\(op)\" (use add, remove, replace, move, copy or test)", malformed: true)
            }
        }
        return result
    }

    /// The reference tokens of a JSON pointer (`/a/b~1c/0` is `a`, `b/c`, `0`).
    static func pointer(_ text: String) throws(PatchError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw PatchError("path \"\(text)\" must start with '/'", malformed: true) }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ path: [String], in document: JSON, text: String) throws(PatchError) -> JSON {
        var current = document
        for token in path {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw PatchError("path \(text) does not exist") }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw PatchError("path \(text) does not exist") }
                current = elements[index]
            default:
                throw PatchError("path \(text) does not exist")
            }
        }
        return current
    }

    static func add(_ value: JSON, at path: [String], in document: inout JSON) throws(PatchError) {
        guard let last = path.last else {
            document = value
            return
        }
        try modifyParent(of: path[...], in: &document) { (parent: inout JSON) throws(PatchError) in
            switch parent {
            case .object(var members):
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                if last == "-" {
                    elements.append(value)
                } else {
                    guard let index = Int(last), index >= 0, index <= elements.count else {
                        throw PatchError("index \(last) is out of range for add")
                    }
                    elements.insert(value, at: index)
                }
                parent = .array(elements)
            default:
                throw PatchError("cannot add \"\(last)\" to a value that is neither an object nor an array")
            }
        }
    }

    static func remove(at path: [String], in document: inout JSON, text: String) throws(PatchError) -> JSON {
        guard let last = path.last else { throw PatchError("cannot remove the whole document") }
        var removed = JSON.null
        try modifyParent(of: path[...], in: &document) { (parent: inout JSON) throws(PatchError) in
            switch parent {
            case .object(var members):
                guard let value = members.removeValue(forKey: last) else { throw PatchError("path \(text) does not exist") }
                removed = value
                parent = .object(members)
            case .array(var elements):
                guard let index = Int(last), elements.indices.contains(index) else { throw PatchError("path \(text) does not exist") }
                removed = elements.remove(at: index)
                parent = .array(elements)
            default:
                throw PatchError("path \(text) does not exist")
            }
        }
        return removed
    }

    /// Runs `change` on the container that holds the last token of `path`.
    static func modifyParent(of path: ArraySlice<String>, in document: inout JSON,
                             _ change: (inout JSON) throws(PatchError) -> Void) throws(PatchError) {
        guard path.count > 1, let token = path.first else {
            try change(&document)
            return
        }
        switch document {
        case .object(var members):
            guard var child = members[token] else { throw PatchError("path segment \"\(token)\" does not exist") }
            try modifyParent(of: path.dropFirst(), in: &child, change)
            members[token] = child
            document = .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw PatchError("index \(token) does not exist") }
            try modifyParent(of: path.dropFirst(), in: &elements[index], change)
            document = .array(elements)
        default:
            throw PatchError("path segment \"\(token)\" does not exist")
        }
    }

    /// Equality for `test`, where 1 and 1.0 are the same number.
    static func equalValues(_ a: JSON, _ b: JSON) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        switch (a, b) {
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equalValues($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { equalValues(value, $0) } ?? false }
        default:
            return a == b
        }
    }
}
