/// Which objects name which owner (`metadata.ownerReferences` uids), kept as objects change, so
/// deleting an owner finds its dependents at once instead of reading every object of every kind
/// (deleting 500 replicas would otherwise read the whole store 500 times).
struct OwnerIndex: Sendable {
    struct Dependent: Hashable, Sendable {
        var resource: KubeResource
        var key: ObjectKey
    }

    private var dependents: [String: Set<Dependent>] = [:]

    /// Records that the object at `key` changed from `old` to `new` (nil: absent).
    mutating func update(_ resource: KubeResource, _ key: ObjectKey, old: JSON?, new: JSON?) {
        // Most changes (statuses) leave the references as they were.
        if let old, let new, old[path: "metadata", "ownerReferences"] == new[path: "metadata", "ownerReferences"] { return }
        let before = Self.owners(of: old), after = Self.owners(of: new)
        guard before != after else { return }
        let dependent = Dependent(resource: resource, key: key)
        for uid in before.subtracting(after) {
            dependents[uid]?.remove(dependent)
            if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
        }
        for uid in after.subtracting(before) { dependents[uid, default: []].insert(dependent) }
    }

    /// The objects naming `uid` as an owner, in a stable order.
    func dependents(of uid: String) -> [Dependent] {
        (dependents[uid] ?? []).sorted { ($0.resource.name, $0.key) < ($1.resource.name, $1.key) }
    }

    static func owners(of object: JSON?) -> Set<String> {
        guard let references = object?[path: "metadata", "ownerReferences"]?.arrayValue, !references.isEmpty else { return [] }
        return Set(references.compactMap { $0.string("uid") })
    }
}
