/// One validation failure of one field, in the Kubernetes wording
/// (`spec.containers[0].name: Required value`).
public struct FieldError: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case required
        case invalid(JSON)
        case duplicate(JSON)
        case notSupported(JSON, [String])
        case forbidden

        var causeReason: String {
            switch self {
            case .required: return "FieldValueRequired"
            case .invalid: return "FieldValueInvalid"
            case .duplicate: return "FieldValueDuplicate"
            case .notSupported: return "FieldValueNotSupported"
            case .forbidden: return "FieldValueForbidden"
            }
        }
    }

    public var field: String
    public var type: Kind
    public var detail: String

    public init(_ field: String, _ type: Kind, _ detail: String = "") {
        self.field = field
        self.type = type
        self.detail = detail
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError { FieldError(field, .required, detail) }
    public static func invalid(_ field: String, _ value: JSON, _ detail: String) -> FieldError { FieldError(field, .invalid(value), detail) }

    var causeMessage: String {
        let text: String
        switch type {
        case .required: text = "Required value"
        case .invalid(let value): text = "Invalid value: \(Self.show(value))"
        case .duplicate(let value): text = "Duplicate value: \(Self.show(value))"
        case .notSupported(let value, let supported):
            text = "Unsupported value: \(Self.show(value)): supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", ")
        case .forbidden: text = "Forbidden"
        }
        return detail.isEmpty ? text : "\(text): \(detail)"
    }

    public var description: String { "\(field): \(causeMessage)" }

    static func show(_ value: JSON) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        default: return value.text
        }
    }
}
