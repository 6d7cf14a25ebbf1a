import Foundation

/// Creating objects: server-filled metadata, admission, and the AlreadyExists check.
extension KubeStore {
    /// Creates `object` (201 in the API). `namespace` nil takes the object's own, or `default`.
    /// With `dryRun` nothing is written and the would-be object is returned.
    public func create(_ resource: KubeResource, namespace: String?, object: JSON, dryRun: Bool = false) throws(KubeError) -> JSON {
        let namespaceName = resource.namespaced ? (namespace ?? object.string("metadata", "namespace") ?? "default") : ""
        var body = try BodyCheck.check(object, resource: resource, namespace: namespaceName)
        if resource.namespaced && !namespaceExists(namespaceName) { throw KubeError.notFound("namespaces", namespaceName) }
        let name = try chooseName(body, resource: resource, namespace: namespaceName)
        var metadata = body["metadata"] ?? .emptyObject
        metadata["name"] = .string(name)
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(now())
        for field in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink"] {
            metadata[field] = nil
        }
        body["metadata"] = metadata
        let key = resource.key(namespace: namespaceName, name: name)
        if objects[resource]?[key] != nil { throw KubeError.alreadyExists(resource.name, name) }
        try Admission(resource: resource, now: now()).admit(&body, old: nil, clusterIPs: clusterIPs)
        if dryRun { return body }
        let created = try commit(resource, key, new: body, old: nil)
        if resource == .services, let ip = created.string("spec", "clusterIP").flatMap(ClusterIPAllocator.parse) {
            clusterIPs.mark(ip)
        }
        if resource == .events { eventNames[Self.eventIdentity(created)] = key }
        return created
    }

    /// `metadata.name`, or `generateName` plus five random characters (retried on a clash).
    func chooseName(_ body: JSON, resource: KubeResource, namespace: String) throws(KubeError) -> String {
        if let name = body.string("metadata", "name"), !name.isEmpty { return name }
        guard let prefix = body.string("metadata", "generateName"), !prefix.isEmpty else {
            throw KubeError.invalid(kind: resource.kind, name: "", [.required("metadata.name", "name or generateName is required")])
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        for _ in 0..<16 {
            let suffix = String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
            let name = String(prefix.prefix(58)) + suffix
            if objects[resource]?[resource.key(namespace: namespace, name: name)] == nil { return name }
        }
        throw KubeError(code: 409, reason: .alreadyExists, message: "could not find a free name for generateName \"\(prefix)\"; try again")
    }
}
