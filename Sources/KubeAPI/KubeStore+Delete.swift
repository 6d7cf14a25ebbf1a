/// Deletes, with garbage collection of owned objects and whole namespaces.
extension KubeStore {
    /// Deletes an object and returns its last state. Objects whose `ownerReferences` name its
    /// uid are deleted too (Background, Foreground) or lose that reference (Orphan). Deleting a
    /// namespace deletes everything in it; the system namespaces cannot be deleted (403).
    public func delete(_ resource: KubeResource, namespace: String?, name: String,
                       options: DeleteOptions = .init()) throws(KubeError) -> JSON {
        let key = resource.key(namespace: namespace, name: name)
        let current = try stored(resource, key)
        if let uid = options.uid, uid != current.string("metadata", "uid") {
            throw KubeError(code: 409, reason: .conflict,
                            message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current.string("metadata", "uid") ?? "")",
                            name: name, kind: resource.name)
        }
        if let version = options.resourceVersion, version != current.string("metadata", "resourceVersion") {
            throw KubeError.conflict(resource.name, name)
        }
        if resource == .namespaces && Self.systemNamespaces.contains(name) {
            throw KubeError.forbidden("namespaces", name, "this namespace may not be deleted")
        }
        if options.dryRun { return current }
        if resource == .namespaces {
            for contained in KubeResource.all where contained.namespaced {
                for (objectKey, object) in (objects[contained] ?? [:]).sorted(by: { $0.key < $1.key }) where objectKey.namespace == name {
                    try remove(contained, objectKey, object)
                }
            }
        }
        let deleted = try remove(resource, key, current)
        if resource.namespaced { try collectDependents(of: deleted, namespace: key.namespace, policy: options.propagationPolicy) }
        return deleted
    }

    /// Deletes every object matching the selectors (DELETE on a collection); returns them.
    public func deleteCollection(_ resource: KubeResource, namespace: String?, labels: LabelSelector? = nil,
                                 fields: FieldSelector? = nil, options: DeleteOptions = .init()) throws(KubeError) -> KubeList {
        var deleted: [JSON] = []
        for object in try list(resource, namespace: namespace, labels: labels, fields: fields).items {
            let name = object.string("metadata", "name") ?? ""
            if resource == .namespaces && Self.systemNamespaces.contains(name) { continue }
            // An earlier delete may already have collected this one.
            guard objects[resource]?[resource.key(namespace: object.string("metadata", "namespace"), name: name)] != nil else { continue }
            deleted.append(try delete(resource, namespace: object.string("metadata", "namespace"), name: name, options: options))
        }
        return KubeList(resource: resource, items: deleted, resourceVersion: resourceVersion)
    }

    @discardableResult
    func remove(_ resource: KubeResource, _ key: ObjectKey, _ current: JSON) throws(KubeError) -> JSON {
        let deleted = try commit(resource, key, new: nil, old: current)
        if resource == .services, let ip = current.string("spec", "clusterIP").flatMap(ClusterIPAllocator.parse) {
            clusterIPs.release(ip)
        }
        if resource == .events { eventNames[Self.eventIdentity(current)] = nil }
        return deleted
    }

    /// Garbage collection: the objects in `namespace` that `owner` owns.
    func collectDependents(of owner: JSON, namespace: String, policy: PropagationPolicy) throws(KubeError) {
        guard let uid = owner.string("metadata", "uid") else { return }
        for dependent in owners.dependents(of: uid) where dependent.key.namespace == namespace {
            let resource = dependent.resource, key = dependent.key
            guard let current = objects[resource]?[key] else { continue }
            if policy == .orphan {
                var orphaned = current
                let references = (current[path: "metadata", "ownerReferences"]?.arrayValue ?? []).filter { $0.string("uid") != uid }
                orphaned[path: "metadata", "ownerReferences"] = references.isEmpty ? nil : .array(references)
                try commit(resource, key, new: orphaned, old: current)
            } else {
                let deleted = try remove(resource, key, current)
                try collectDependents(of: deleted, namespace: namespace, policy: policy)
            }
        }
    }
}
