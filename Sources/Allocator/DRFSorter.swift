/// Keeps clients (roles, or frameworks inside a role) ordered by share, lowest first, ties broken
/// by name so every pass is deterministic.
///
/// Updating one client's share moves only that client (binary search, then one remove and one
/// insert), so an allocation pass does not re-sort everything after each offer. A hierarchical
/// role tree can be built from one sorter per level.
struct DRFSorter: Sendable {
    struct Entry: Sendable, Comparable {
        var share: Double
        var name: String

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.share != rhs.share ? lhs.share < rhs.share : lhs.name < rhs.name
        }
    }

    private(set) var entries: [Entry] = []
    private var shares: [String: Double] = [:]

    init() {}

    /// Builds the order in one sort; `clients` must not repeat a name.
    init(_ clients: [(name: String, share: Double)]) {
        entries = clients.map { Entry(share: $0.share, name: $0.name) }.sorted()
        for client in clients { shares[client.name] = client.share }
    }

    var count: Int { entries.count }

    func share(of name: String) -> Double? { shares[name] }

    /// Inserts `name` or moves it to where `share` belongs.
    mutating func update(_ name: String, share: Double) {
        let entry = Entry(share: share, name: name)
        if let old = shares.updateValue(share, forKey: name) {
            guard old != share else { return }
            let index = insertionIndex(of: Entry(share: old, name: name))
            // Most changes keep the client between its neighbours: no shifting then.
            if (index == 0 || entries[index - 1] < entry),
               index + 1 == entries.count || entry < entries[index + 1] {
                entries[index] = entry
                return
            }
            entries.remove(at: index)
        }
        entries.insert(entry, at: insertionIndex(of: entry))
    }

    mutating func remove(_ name: String) {
        guard let old = shares.removeValue(forKey: name) else { return }
        entries.remove(at: insertionIndex(of: Entry(share: old, name: name)))
    }

    /// First index whose entry is not below `entry` (the entry's own index when present).
    private func insertionIndex(of entry: Entry) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
