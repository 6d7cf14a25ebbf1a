import FairwayCore

/// Who holds what on one agent. `available` is recomputed from `total - allocated` on every
/// change (not adjusted incrementally) so an over-committed agent (tasks reported on re-registration
/// that exceed its total) cannot drift.
struct AgentState: Sendable {
    struct AllocationKey: Hashable, Sendable {
        var frameworkID: String
        var role: String
    }

    var total: Resources
    var allocated = Resources()
    var available: Resources
    var allocations: [AllocationKey: Resources] = [:]
    /// The part of `allocations` still in outstanding offers, so removing the agent can settle
    /// the frameworks' offered books too.
    var offered: [AllocationKey: ScalarQuantities] = [:]

    mutating func settleOffered(_ quantities: ScalarQuantities, key: AllocationKey) {
        offered[key]? -= quantities
        if offered[key]?.isEmpty ?? false { offered[key] = nil }
    }

    init(total: Resources) {
        self.total = total
        self.available = total
    }

    mutating func refreshAvailable() { available = total - allocated }

    /// Books `resources` as held under `key`. Taking from `available` directly equals recomputing
    /// `total - allocated` (both floor at empty), without the full subtraction; a caller that has
    /// already computed what is left passes it as `availableAfter`.
    mutating func hold(_ resources: Resources, _ quantities: ScalarQuantities, key: AllocationKey, offered: Bool,
                       availableAfter: Resources? = nil) {
        allocations[key, default: Resources()] += resources
        allocated += resources
        if let availableAfter { available = availableAfter } else { available -= resources }
        if offered { self.offered[key, default: ScalarQuantities()] += quantities }
    }
}
