import FairwayCore

/// What one allocation pass has decided so far: the offers being built (one per framework, agent
/// and role, grown task by task for frameworks that declared demand), the pending tasks still to
/// place, and the quota arithmetic.
struct AllocationPass {
    struct Key: Hashable {
        var frameworkID: String
        var agentID: String
        var role: String
    }

    var quota: QuotaPass
    /// The guarantee stage's order: frameworks in roles with an unmet guarantee; a role leaves it
    /// once its guarantee is met.
    var guaranteeOrder: RoleOrder?
    /// Set when roles were taken out of the allocator's order for this pass only.
    var orderTrimmed = false
    private var offers: [Allocation] = []
    /// Where the current agent's offers start in `offers`: grants merge only with those.
    private var agentStart = 0
    /// Declared tasks of each framework not yet covered by an offer, as distinct shapes with how
    /// many of each, filled on first use.
    private var pendingTasks: [String: [(shape: Resources, count: Int)]] = [:]

    init(quota: QuotaPass) { self.quota = quota }

    /// Starts the offers of another agent (each agent's grants are merged among themselves only).
    mutating func beginAgent() { agentStart = offers.count }

    /// Adds a grant, merged into the offer already made to the framework in that role on the agent.
    mutating func record(_ key: Key, _ resources: Resources) {
        for index in agentStart..<offers.count
        where offers[index].frameworkID == key.frameworkID && offers[index].role == key.role {
            offers[index].resources += resources
            return
        }
        offers.append(Allocation(frameworkID: key.frameworkID, agentID: key.agentID, role: key.role, resources: resources))
    }

    func allocations() -> [Allocation] { offers }

    /// One of the framework's pending declared tasks that fits in `candidate`, sized from it, and
    /// counts that task as placed. Tasks already covered by the framework's outstanding offers (made
    /// in earlier passes) are not pending: the framework has not had the chance to launch them yet.
    /// A slice the framework refused on this agent (its filter covers it) is not taken.
    mutating func takeTask(of frameworkID: String, fitting candidate: Resources, allocator: DRFAllocator,
                           refused: (Resources) -> Bool) -> Resources? {
        if pendingTasks[frameworkID] == nil { pendingTasks[frameworkID] = allocator.uncoveredDemand(of: frameworkID) }
        guard let groups = pendingTasks[frameworkID] else { return nil }
        for (index, group) in groups.enumerated() where group.count > 0 {
            if let slice = candidate.slice(matching: group.shape), !refused(slice) {
                pendingTasks[frameworkID]?[index].count -= 1
                return slice
            }
        }
        return nil
    }
}

extension DRFAllocator {
    /// The framework's declared task shapes minus those its outstanding offers already cover,
    /// grouped by shape (in order of first declaration) with how many of each.
    func uncoveredDemand(of frameworkID: String) -> [(shape: Resources, count: Int)] {
        guard let framework = frameworks[frameworkID] else { return [] }
        var offered = framework.offered
        var pending: [(shape: Resources, count: Int)] = []
        for entry in framework.demand {
            let needed = entry.quantities
            if !needed.isEmpty, offered.covers(needed) {
                offered -= needed
            } else if let index = pending.firstIndex(where: { $0.shape == entry.resources }) {
                pending[index].count += 1
            } else {
                pending.append((entry.resources, 1))
            }
        }
        return pending
    }
}
