import Foundation

/// Events about objects (`kubectl describe` shows them): repeated events bump a count instead of
/// piling up.
extension KubeStore {
    /// Records that something happened to `object` (`type` Normal or Warning, a CamelCase
    /// `reason`, a message for people, the reporting component): creates an Event, or bumps
    /// `count` and `lastTimestamp` of the same event recorded before.
    public func recordEvent(involving object: JSON, type: String, reason: String, message: String, source component: String) {
        let namespace = object.string("metadata", "namespace") ?? "default"
        var involved: JSON = [
            "kind": .string(object.string("kind") ?? ""), "apiVersion": .string(object.string("apiVersion") ?? "v1"),
            "name": .string(object.string("metadata", "name") ?? ""), "namespace": .string(namespace),
            "uid": .string(object.string("metadata", "uid") ?? ""),
        ]
        if let version = object.string("metadata", "resourceVersion") { involved["resourceVersion"] = .string(version) }
        let now = now()
        var event: JSON = [
            "kind": "Event", "apiVersion": "v1",
            "metadata": ["namespace": .string(namespace)],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": .string(component)], "reportingComponent": .string(component), "reportingInstance": "",
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        let identity = Self.eventIdentity(event)
        do {
            if let key = eventNames[identity], let existing = objects[.events]?[key] {
                var bumped = existing
                bumped["count"] = .int((existing["count"]?.intValue ?? 1) + 1)
                bumped["lastTimestamp"] = .string(now)
                try commit(.events, key, new: bumped, old: existing)
            } else {
                // Built here, so it skips the checks and admission a client's object gets.
                let base = object.string("metadata", "name") ?? "event"
                let stamp = String(UInt64(max(0, clock().timeIntervalSince1970 * 1e9)), radix: 16)
                let key = KubeResource.events.key(namespace: namespace, name: "\(base).\(stamp)")
                guard namespaceExists(namespace) else { throw KubeError.notFound("namespaces", namespace) }
                guard objects[.events]?[key] == nil else { throw KubeError.alreadyExists("events", key.name) }
                event[path: "metadata", "name"] = .string(key.name)
                event[path: "metadata", "uid"] = .string(UUID().uuidString.lowercased())
                event[path: "metadata", "creationTimestamp"] = .string(now)
                try commit(.events, key, new: event, old: nil)
                eventNames[identity] = key
            }
        } catch {
            logger.warning("could not record event \(reason) for \(namespace)/\(involved.string("name") ?? ""): \(error)")
        }
    }

    /// Deletes the events that last happened more than `eventTTL` seconds ago, in one transaction
    /// (watchers see each go); returns how many went. Called now and then by the pods framework.
    @discardableResult
    public func expireEvents() -> Int {
        let cutoff = clock().timeIntervalSince1970 - options.eventTTL
        let expired = (objects[.events] ?? [:]).filter { _, event in
            let last = event.string("lastTimestamp").flatMap(Timestamps.parse)
                ?? event.string("metadata", "creationTimestamp").flatMap(Timestamps.parse)
            return (last?.timeIntervalSince1970 ?? 0) < cutoff
        }
        guard !expired.isEmpty else { return 0 }
        // Events own nothing: removed directly, without a search for dependents per event.
        let outcome = batch(expired.map { key, event in
            ("expiry of event \(key.namespace)/\(key.name)", { store in try store.remove(.events, key, event) })
        })
        return outcome.committed ? expired.count - outcome.failures.count : 0
    }

    /// What makes two events the same: the object, type, reason, message and source.
    static func eventIdentity(_ event: JSON) -> String {
        [event.string("involvedObject", "uid") ?? "", event.string("involvedObject", "kind") ?? "",
         event.string("involvedObject", "name") ?? "", event.string("type") ?? "", event.string("reason") ?? "",
         event.string("message") ?? "", event.string("source", "component") ?? ""].joined(separator: "\u{1}")
    }

    static func indexEvents(_ events: [ObjectKey: JSON]) -> [String: ObjectKey] {
        var index: [String: ObjectKey] = [:]
        for (key, event) in events { index[eventIdentity(event)] = key }
        return index
    }
}
