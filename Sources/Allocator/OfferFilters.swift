import FairwayCore
import HeapModule

/// Mesos refused-offer filters: after a framework declines resources of an agent with
/// `refuse_seconds`, it is not offered those resources, or any subset of them, on that agent in
/// that role until the filter expires.
///
/// Filters are indexed by (framework, role, agent) for the per-offer check, by framework and by
/// agent for bulk removal, and by expiry in a heap so expiring them and answering "when is the next
/// expiry" does not scan every filter.
struct OfferFilters: Sendable {
    struct Key: Hashable, Sendable {
        var frameworkID: String
        var role: String
        var agentID: String
    }

    private struct Filter: Sendable {
        var key: Key
        var refused: Resources
        var expiry: Double
    }

    private struct Expiry: Comparable, Sendable {
        var time: Double
        var id: Int
        static func < (lhs: Expiry, rhs: Expiry) -> Bool { (lhs.time, lhs.id) < (rhs.time, rhs.id) }
    }

    private var filters: [Int: Filter] = [:]
    private var idsByKey: [Key: Set<Int>] = [:]
    private var keysByFramework: [String: Set<Key>] = [:]
    private var keysByAgent: [String: Set<Key>] = [:]
    private var expiries = Heap<Expiry>()
    private var nextID = 0

    init() {}

    var count: Int { filters.count }

    /// The earliest expiry of a live filter (possibly already past, until the next `expire`).
    var nextExpiry: Double? { expiries.min?.time }

    mutating func add(_ key: Key, refused: Resources, expiry: Double) {
        let id = nextID
        nextID += 1
        filters[id] = Filter(key: key, refused: refused, expiry: expiry)
        idsByKey[key, default: []].insert(id)
        keysByFramework[key.frameworkID, default: []].insert(key)
        keysByAgent[key.agentID, default: []].insert(key)
        expiries.insert(Expiry(time: expiry, id: id))
    }

    /// True when a live filter for `key` covers every resource of `candidate`.
    func refuses(_ key: Key, _ candidate: Resources, now: Double) -> Bool {
        guard let ids = idsByKey[key] else { return false }
        return ids.contains { id in
            guard let filter = filters[id] else { return false }
            return filter.expiry > now && filter.refused.contains(candidate)
        }
    }

    /// Drops every filter whose time has come (`expiry <= now`) and returns the agents they were
    /// on: what they refused may now be offered again.
    @discardableResult
    mutating func expire(now: Double) -> Set<String> {
        var agents: Set<String> = []
        while let first = expiries.min, first.time <= now {
            _ = expiries.popMin()
            if let agentID = filters[first.id]?.key.agentID { agents.insert(agentID) }
            remove(id: first.id)
        }
        dropStaleExpiries()
        return agents
    }

    /// Drops the framework's filters, only for `roles` when given.
    mutating func remove(frameworkID: String, roles: Set<String>? = nil) {
        guard let keys = keysByFramework[frameworkID] else { return }
        for key in keys where roles?.contains(key.role) ?? true { remove(key: key) }
        dropStaleExpiries()
    }

    mutating func remove(agentID: String) {
        guard let keys = keysByAgent[agentID] else { return }
        for key in keys { remove(key: key) }
        dropStaleExpiries()
    }

    private mutating func remove(key: Key) {
        for id in idsByKey[key] ?? [] { remove(id: id) }
    }

    private mutating func remove(id: Int) {
        guard let filter = filters.removeValue(forKey: id) else { return }
        let key = filter.key
        idsByKey[key]?.remove(id)
        guard idsByKey[key]?.isEmpty ?? false else { return }
        idsByKey[key] = nil
        keysByFramework[key.frameworkID]?.remove(key)
        if keysByFramework[key.frameworkID]?.isEmpty ?? false { keysByFramework[key.frameworkID] = nil }
        keysByAgent[key.agentID]?.remove(key)
        if keysByAgent[key.agentID]?.isEmpty ?? false { keysByAgent[key.agentID] = nil }
    }

    /// Keeps the heap's minimum a live filter so `nextExpiry` never reports a removed one, and
    /// rebuilds the heap when removed filters (revive, departures) make up most of it, so frequent
    /// revives of long refusals cannot grow it without bound.
    private mutating func dropStaleExpiries() {
        if expiries.count > 2 * filters.count + 64 {
            expiries = Heap(filters.map { Expiry(time: $0.value.expiry, id: $0.key) })
            return
        }
        while let first = expiries.min, filters[first.id] == nil { _ = expiries.popMin() }
    }
}
