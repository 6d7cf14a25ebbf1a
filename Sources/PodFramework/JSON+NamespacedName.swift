import KubeAPI

extension JSON {
    /// `namespace/name` of an API object, the key the controllers cache objects under.
    var namespacedName: String? {
        guard let namespace = string("metadata", "namespace"), let name = string("metadata", "name") else { return nil }
        return namespace + "/" + name
    }
}
