/// Where an object lives: its namespace ("" for cluster-scoped resources) and name.
struct ObjectKey: Hashable, Comparable, Sendable {
    var namespace: String
    var name: String

    static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }
}

extension KubeResource {
    /// The key of `name` in `namespace` (nil means `default` for namespaced resources).
    func key(namespace: String?, name: String) -> ObjectKey {
        ObjectKey(namespace: namespaced ? (namespace ?? "default") : "", name: name)
    }
}

/// The checks every write body goes through before admission: a JSON object of the URL's kind
/// and version, in the URL's namespace.
enum BodyCheck {
    static func check(_ object: JSON, resource: KubeResource, namespace: String, expectedKind: String? = nil,
                      expectedVersion: String = "v1") throws(KubeError) -> JSON {
        guard object.objectValue != nil else { throw KubeError.badRequest("the request body must be a JSON object (a \(resource.kind))") }
        var body = object
        let kind = expectedKind ?? resource.kind
        if let given = body["kind"], given != .null, given.stringValue != kind {
            throw KubeError.badRequest("the body is a \(given.stringValue ?? given.text) but this URL takes a \(kind) (\(resource.name)); send it to the \(given.stringValue.map { ($0.lowercased()) + "s" } ?? "right") resource instead")
        }
        if let given = body["apiVersion"], given != .null, given.stringValue != expectedVersion {
            throw KubeError.badRequest("the apiVersion \(given.stringValue ?? given.text) in the body does not match this URL's \(expectedVersion)")
        }
        body["kind"] = .string(kind)
        body["apiVersion"] = .string(expectedVersion)
        if body["metadata"]?.objectValue == nil {
            if let metadata = body["metadata"], metadata != .null { throw KubeError.badRequest("metadata must be a JSON object") }
            body["metadata"] = .emptyObject
        }
        if resource.namespaced {
            if let given = body.string("metadata", "namespace"), !given.isEmpty, given != namespace {
                throw KubeError.badRequest("the namespace of the provided object (\(given)) does not match the namespace sent on the request (\(namespace))")
            }
            body[path: "metadata", "namespace"] = .string(namespace)
        } else {
            body[path: "metadata", "namespace"] = nil
        }
        return body
    }
}
