/// Reads: one object, or a filtered list.
extension KubeStore {
    /// One object; `subresource` "scale" answers the `autoscaling/v1` Scale of a
    /// ReplicationController, "status" the object itself.
    public func get(_ resource: KubeResource, namespace: String?, name: String, subresource: String? = nil) throws(KubeError) -> JSON {
        let object = try stored(resource, resource.key(namespace: namespace, name: name))
        switch subresource {
        case nil, "status": return object
        case "scale" where resource == .replicationControllers: return Scale.of(object)
        default: throw KubeError.unknownResource
        }
    }

    /// The objects matching the selectors, in one namespace (or all when `namespace` is nil),
    /// sorted by namespace and name, with the resourceVersion to watch from.
    public func list(_ resource: KubeResource, namespace: String?, labels: LabelSelector? = nil,
                     fields: FieldSelector? = nil) throws(KubeError) -> KubeList {
        try fields?.validate(for: resource)
        let filter = WatchFilter(resource: resource, namespace: namespace, labels: labels, fields: fields)
        return KubeList(resource: resource, items: matching(filter), resourceVersion: resourceVersion)
    }

    func matching(_ filter: WatchFilter) -> [JSON] {
        let candidates = (objects[filter.resource] ?? [:]).filter { key, object in
            (filter.namespace == nil || !filter.resource.namespaced || key.namespace == filter.namespace) && filter.matches(object)
        }
        return candidates.sorted { $0.key < $1.key }.map(\.value)
    }

    func stored(_ resource: KubeResource, _ key: ObjectKey) throws(KubeError) -> JSON {
        guard let object = objects[resource]?[key] else { throw KubeError.notFound(resource.name, key.name) }
        return object
    }

    func namespaceExists(_ name: String) -> Bool {
        objects[.namespaces]?[ObjectKey(namespace: "", name: name)] != nil
    }
}
