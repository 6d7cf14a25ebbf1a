/// What one watch selects: a resource, maybe a namespace, maybe label and field selectors.
struct WatchFilter: Sendable {
    var resource: KubeResource
    var namespace: String?
    var labels: LabelSelector?
    var fields: FieldSelector?

    func matches(_ object: JSON) -> Bool {
        if let namespace, resource.namespaced, object.string("metadata", "namespace") != namespace { return false }
        if let labels, !labels.matches(object: object) { return false }
        if let fields, !fields.matches(object, resource: resource) { return false }
        return true
    }

    /// The event this watcher sees for a change, if any. An object that leaves the selection is
    /// reported as DELETED and one that enters it as ADDED, as Kubernetes does.
    func event(for record: ChangeRecord) -> WatchEvent? {
        guard record.resource == resource else { return nil }
        if let namespace, resource.namespaced, record.namespace != namespace { return nil }
        switch record.type {
        case .modified:
            let before = record.previous.map(matches) ?? false
            let after = matches(record.object)
            switch (before, after) {
            case (true, true): return WatchEvent(type: .modified, object: record.object, encodedObject: record.encoded)
            case (true, false): return WatchEvent(type: .deleted, object: record.object, encodedObject: record.encoded)
            case (false, true): return WatchEvent(type: .added, object: record.object, encodedObject: record.encoded)
            case (false, false): return nil
            }
        default:
            return matches(record.object) ? WatchEvent(type: record.type, object: record.object, encodedObject: record.encoded) : nil
        }
    }
}

/// An open watch: its filter and the stream it feeds.
struct Watcher: Sendable {
    var filter: WatchFilter
    var continuation: AsyncStream<WatchEvent>.Continuation
    /// Events it may have pending before it is dropped.
    var buffer: Int
}
