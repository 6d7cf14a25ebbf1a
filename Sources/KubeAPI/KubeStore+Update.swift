/// Updates and patches: resourceVersion preconditions, server-owned fields kept, status written
/// only through the status subresource, and no-op writes that do not bump the resourceVersion.
extension KubeStore {
    /// Replaces an object (PUT). A `metadata.resourceVersion` in `object` must match the stored
    /// one (409 Conflict otherwise); without one the update is unconditional. `subresource`
    /// "status" changes only `status`; "scale" takes a Scale and returns one.
    public func update(_ resource: KubeResource, namespace: String?, name: String, object: JSON,
                       subresource: String? = nil, dryRun: Bool = false) throws(KubeError) -> JSON {
        let key = resource.key(namespace: namespace, name: name)
        switch subresource {
        case nil: return try updateMain(resource, key, object, dryRun: dryRun)
        case "status" where resource.hasStatus: return try updateStatus(resource, key, object, dryRun: dryRun)
        case "scale" where resource == .replicationControllers:
            let controller = try stored(resource, key)
            let scaled = try Scale.apply(object, to: controller)
            return Scale.of(try updateMain(resource, key, scaled, dryRun: dryRun))
        default: throw KubeError.unknownResource
        }
    }

    /// Applies a patch of `type` (PATCH) to the object or its status/scale subresource.
    public func patch(_ resource: KubeResource, namespace: String?, name: String, patch: JSON, type: PatchType,
                      subresource: String? = nil, dryRun: Bool = false) throws(KubeError) -> JSON {
        let key = resource.key(namespace: namespace, name: name)
        let current = try stored(resource, key)
        switch subresource {
        case nil:
            return try updateMain(resource, key, try Patcher.apply(patch, type: type, to: current, resource: resource), dryRun: dryRun)
        case "status" where resource.hasStatus:
            return try updateStatus(resource, key, try Patcher.apply(patch, type: type, to: current, resource: resource), dryRun: dryRun)
        case "scale" where resource == .replicationControllers:
            let scale = try Patcher.apply(patch, type: type, to: Scale.of(current), resource: resource)
            return Scale.of(try updateMain(resource, key, try Scale.apply(scale, to: current), dryRun: dryRun))
        default: throw KubeError.unknownResource
        }
    }

    /// Read-modify-write in one step, for controllers (status updates, endpoints): nothing can
    /// change the object between the read and the write, so no update is lost.
    public func modify(_ resource: KubeResource, namespace: String?, name: String, subresource: String? = nil,
                       _ change: (inout JSON) throws -> Void) throws(KubeError) -> JSON {
        var object = try get(resource, namespace: namespace, name: name, subresource: subresource)
        try Self.apply(change, to: &object, resource: resource, name: name)
        return try update(resource, namespace: namespace, name: name, object: object, subresource: subresource)
    }

    /// Read-modify-write of the whole stored object, status included, as one change (one
    /// resourceVersion, one watch event), without admission: for the pods framework's own
    /// bookkeeping, such as binding a pod to an agent and marking it scheduled together.
    public func modifyObject(_ resource: KubeResource, namespace: String?, name: String,
                             _ change: (inout JSON) throws -> Void) throws(KubeError) -> JSON {
        let key = resource.key(namespace: namespace, name: name)
        let current = try stored(resource, key)
        var object = current
        try Self.apply(change, to: &object, resource: resource, name: name)
        for field in ["name", "namespace", "uid", "creationTimestamp", "resourceVersion"] {
            object[path: "metadata", field] = current[path: "metadata", field]
        }
        if object == current { return object }
        return try commit(resource, key, new: object, old: current)
    }

    /// Runs a caller's change; its errors become 400s naming the object (a KubeError stays as it is).
    static func apply(_ change: (inout JSON) throws -> Void, to object: inout JSON, resource: KubeResource, name: String) throws(KubeError) {
        do {
            try change(&object)
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError.badRequest("the change to \(resource.name) \"\(name)\" failed: \(error)")
        }
    }

    func updateMain(_ resource: KubeResource, _ key: ObjectKey, _ object: JSON, dryRun: Bool) throws(KubeError) -> JSON {
        let current = try stored(resource, key)
        var body = try BodyCheck.check(object, resource: resource, namespace: key.namespace)
        if let given = body.string("metadata", "name"), !given.isEmpty, given != key.name {
            throw KubeError.badRequest("the name of the object (\(given)) does not match the name on the URL (\(key.name))")
        }
        try checkPrecondition(body, against: current, resource: resource, name: key.name)
        for field in ["name", "uid", "creationTimestamp", "generation", "deletionTimestamp", "resourceVersion"] {
            body[path: "metadata", field] = current[path: "metadata", field]
        }
        if resource.hasStatus { body["status"] = current["status"] }
        try Admission(resource: resource, now: now()).admit(&body, old: current, clusterIPs: clusterIPs)
        if body == current || dryRun { return body }
        return try commit(resource, key, new: body, old: current)
    }

    func updateStatus(_ resource: KubeResource, _ key: ObjectKey, _ object: JSON, dryRun: Bool) throws(KubeError) -> JSON {
        let current = try stored(resource, key)
        guard object.objectValue != nil else { throw KubeError.badRequest("the request body must be a JSON object (a \(resource.kind))") }
        try checkPrecondition(object, against: current, resource: resource, name: key.name)
        var body = current
        body["status"] = object["status"]
        if body == current || dryRun { return body }
        return try commit(resource, key, new: body, old: current)
    }

    func checkPrecondition(_ body: JSON, against current: JSON, resource: KubeResource, name: String) throws(KubeError) {
        if let version = body.string("metadata", "resourceVersion"), !version.isEmpty,
           version != current.string("metadata", "resourceVersion") {
            throw KubeError.conflict(resource.name, name)
        }
    }
}
