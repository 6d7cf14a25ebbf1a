/// An API error as Kubernetes reports it: an HTTP code, a machine-readable reason and a message
/// for people. Rendered as a `Status` object, which kubectl prints as
/// `Error from server (<reason>): <message>`.
public struct KubeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case invalid = "Invalid"
        case badRequest = "BadRequest"
        case methodNotAllowed = "MethodNotAllowed"
        case expired = "Expired"
        case gone = "Gone"
        case unsupportedMediaType = "UnsupportedMediaType"
        case notAcceptable = "NotAcceptable"
        case forbidden = "Forbidden"
        case unauthorized = "Unauthorized"
        case internalError = "InternalError"
    }

    /// One field that failed validation (for `Invalid`).
    public struct Cause: Sendable, Equatable {
        /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueDuplicate`, `FieldValueNotSupported`...
        public var reason: String
        public var message: String
        public var field: String

        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: Reason
    public var message: String
    /// `details.name` and `details.kind` of the Status (the object concerned), when known.
    public var name: String?
    public var kind: String?
    public var causes: [Cause]

    public init(code: Int, reason: Reason, message: String, name: String? = nil, kind: String? = nil, causes: [Cause] = []) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.kind = kind
        self.causes = causes
    }

    public var description: String { "\(reason.rawValue) (\(code)): \(message)" }

    /// The `Status` object clients parse.
    public var status: JSON {
        var details: [String: JSON] = [:]
        if let name { details["name"] = .string(name) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
        }
        var status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason.rawValue), "code": .int(Int64(code)),
        ]
        if !details.isEmpty { status["details"] = .object(details) }
        return status
    }
}
