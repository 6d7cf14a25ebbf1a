/// The patch formats a PATCH request may carry, chosen by its Content-Type.
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 6902 operations (`kubectl patch --type json`).
    case json = "application/json-patch+json"
    /// RFC 7386: objects merge, null deletes, lists replace (`kubectl scale`, `--type merge`).
    case merge = "application/merge-patch+json"
    /// Kubernetes's strategic merge patch: lists of objects merge by a key (`kubectl apply`).
    case strategic = "application/strategic-merge-patch+json"

    /// The patch type a Content-Type header names (parameters ignored), or nil (415).
    public init?(contentType: String) {
        let base = contentType.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() } ?? ""
        self.init(rawValue: base)
    }
}

/// Why a patch could not be applied.
struct PatchError: Error {
    var message: String
    /// True when the patch document itself is malformed (400); false when it does not apply to
    /// the object (422).
    var malformed: Bool

    init(_ message: String, malformed: Bool = false) {
        self.message = message
        self.malformed = malformed
    }
}

/// Applies any patch type to an object: the one entry point the store uses.
enum Patcher {
    static func apply(_ patch: JSON, type: PatchType, to object: JSON, resource: KubeResource) throws(KubeError) -> JSON {
        do throws(PatchError) {
            switch type {
            case .merge:
                guard patch.objectValue != nil else { throw PatchError("a merge patch must be a JSON object", malformed: true) }
                return MergePatch.apply(patch, to: object)
            case .strategic:
                guard patch.objectValue != nil else { throw PatchError("a strategic merge patch must be a JSON object", malformed: true) }
                return try StrategicMergePatch(resource: resource).apply(patch, to: object)
            case .json:
                return try JSONPatch.apply(patch, to: object)
            }
        } catch {
            if error.malformed { throw KubeError.badRequest("invalid patch: \(error.message)") }
            throw KubeError(code: 422, reason: .invalid, message: "the patch could not be applied: \(error.message)")
        }
    }
}
