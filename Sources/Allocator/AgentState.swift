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

    init(total: Resources) {
        self.total = total
        self.available = total
    }

    mutating func refreshAvailable() { available = total - allocated }
}
