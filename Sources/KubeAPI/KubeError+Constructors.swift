/// The errors the API server returns, worded as the real one words them (clients and users match
/// on these texts).
extension KubeError {
    public static func notFound(_ resource: String, _ name: String) -> KubeError {
        KubeError(code: 404, reason: .notFound, message: "\(resource) \"\(name)\" not found", name: name, kind: resource)
    }

    /// An unknown path or resource type.
    public static let unknownResource = KubeError(code: 404, reason: .notFound, message: "the server could not find the requested resource")

    public static func alreadyExists(_ resource: String, _ name: String) -> KubeError {
        KubeError(code: 409, reason: .alreadyExists, message: "\(resource) \"\(name)\" already exists", name: name, kind: resource)
    }

    public static func conflict(_ resource: String, _ name: String) -> KubeError {
        KubeError(code: 409, reason: .conflict,
                  message: "Operation cannot be fulfilled on \(resource) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                  name: name, kind: resource)
    }

    public static func badRequest(_ message: String) -> KubeError {
        KubeError(code: 400, reason: .badRequest, message: message)
    }

    public static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> KubeError {
        KubeError(code: 405, reason: .methodNotAllowed, message: message)
    }

    /// A watch from a resourceVersion older than the server still remembers: the client must list again.
    public static func expired(_ message: String) -> KubeError {
        KubeError(code: 410, reason: .expired, message: message)
    }

    public static func unsupportedMediaType(_ contentType: String) -> KubeError {
        KubeError(code: 415, reason: .unsupportedMediaType, message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \(contentType))")
    }

    public static func forbidden(_ resource: String, _ name: String, _ why: String) -> KubeError {
        KubeError(code: 403, reason: .forbidden, message: "\(resource) \"\(name)\" is forbidden: \(why)", name: name, kind: resource)
    }

    public static func internalError(_ message: String) -> KubeError {
        KubeError(code: 500, reason: .internalError, message: "Internal error occurred: \(message)")
    }

    /// 422 Invalid for `kind`/`name` with the failing fields:
    /// `Pod "web" is invalid: spec.containers[0].command: Required value: ...`.
    public static func invalid(kind: String, name: String, _ errors: [FieldError]) -> KubeError {
        let texts = errors.map(\.description)
        let list = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        return KubeError(code: 422, reason: .invalid, message: "\(kind) \"\(name)\" is invalid: \(list)", name: name, kind: kind,
                         causes: errors.map { Cause(reason: $0.type.causeReason, message: $0.causeMessage, field: $0.field) })
    }
}
