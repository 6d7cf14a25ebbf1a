import FairwayCore

/// Mesos-style hierarchical DRF allocator: decides which framework is offered which agent's free
/// resources.
///
/// A pure value: the master feeds it events (agents and frameworks coming and going, resources
/// recovered, suppress/revive) and calls `allocate(now:)` when it wants offers. It never reads a
/// clock or does I/O, so tests and benchmarks drive it with any time they like.
///
/// Order of service: hierarchical DRF over role paths (weighted dominant shares at every level of the
/// tree), then frameworks inside a role by dominant share (ties by name); roles below a quota
/// guarantee first, quota limits never exceeded. A framework that declared no demand gets every
/// free resource of an agent its role may use, as in Mesos; one that declared pending tasks gets
/// offers sized by progressive filling (see `allocate(now:)`). Offered resources count as allocated
/// until recovered.
public struct DRFAllocator: Sendable {
    let configuration: AllocatorConfiguration
    var agents: [String: AgentState] = [:]
    /// Agents with anything left to offer; a pass looks at these only.
    var agentsWithAvailable: Set<String> = []
    /// Scalar totals of every agent: the denominators of dominant shares.
    var clusterTotal = ScalarQuantities()
    var frameworks: [String: FrameworkState] = [:]
    /// Registered frameworks subscribed to each role.
    var roleFrameworks: [String: Set<String>] = [:]
    /// Scalar quantities allocated in each role itself, over all its frameworks and agents.
    var roleQuantities: [String: ScalarQuantities] = [:]
    /// Scalar quantities allocated in each role's subtree (`eng` counts `eng/batch`), for every
    /// role path and ancestor that holds anything.
    var subtreeQuantities: [String: ScalarQuantities] = [:]
    /// The service order, kept up to date share by share; nil when an event changed who is in it
    /// or every share at once (cluster total, weights): rebuilt at the next pass.
    var order: RoleOrder?
    /// Agents whose free resources grew since the last pass.
    var dirtyAgents: Set<String> = []
    /// Set when an event may let someone want what every agent had left (the next pass looks at all).
    var allAgentsDirty = true
    /// Agent ids in order, rebuilt lazily when agents come or go.
    var sortedAgentIDs: [String] = []
    var weights: [String: Double]
    /// Quota by role; a role without an entry has neither guarantee nor limit.
    var quotas: [String: RoleQuota] = [:]
    var filters = OfferFilters()

    /// Refusals longer than a year are cut to a year, as Mesos does.
    static let maximumRefuseSeconds = 365.0 * 24 * 3600

    public init(configuration: AllocatorConfiguration = .init()) {
        self.configuration = configuration
        self.weights = configuration.roleWeights.filter { Self.isValidWeight($0.value) }
    }

    static func isValidWeight(_ weight: Double) -> Bool { weight.isFinite && weight > 0 }

    // MARK: Agents

    /// Adds an agent with everything free, or updates the total of a known agent (its
    /// allocations are kept).
    public mutating func addAgent(_ agentID: String, total: Resources) {
        if let old = agents[agentID] { clusterTotal -= ScalarQuantities(old.total) }
        clusterTotal += ScalarQuantities(total)
        var agent = agents[agentID] ?? AgentState(total: total)
        agent.total = total
        agents[agentID] = agent
        refreshAvailable(agentID)
        dirtyAgents.insert(agentID)
        order = nil
    }

    /// Forgets an agent; whatever was allocated or offered on it vanishes with it.
    public mutating func removeAgent(_ agentID: String) {
        guard let agent = agents.removeValue(forKey: agentID) else { return }
        clusterTotal -= ScalarQuantities(agent.total)
        agentsWithAvailable.remove(agentID)
        dirtyAgents.remove(agentID)
        order = nil
        for (key, resources) in agent.allocations {
            let quantities = ScalarQuantities(resources)
            subtractRoleQuantities(quantities, role: key.role)
            guard frameworks[key.frameworkID] != nil else { continue }
            frameworks[key.frameworkID]!.release(quantities, agentID: agentID, role: key.role, offered: false, agentEmptied: false)
            if let offered = agent.offered[key] { frameworks[key.frameworkID]!.settleOffered(offered, role: key.role) }
            frameworks[key.frameworkID]!.agentRoles[agentID] = nil
            dropIfEmptyPlaceholder(key.frameworkID)
        }
        filters.remove(agentID: agentID)
    }

    // MARK: Frameworks

    /// Registers a framework (or updates a known one: roles, suppression, activity and minimum
    /// are replaced; allocations and demand are kept). No roles means Mesos's default role `*`.
    public mutating func addFramework(
        _ frameworkID: String,
        roles: [String],
        suppressedRoles: Set<String> = [],
        active: Bool = true,
        minimumAllocatable: [[String: Double]]? = nil
    ) {
        var framework = frameworks[frameworkID] ?? FrameworkState()
        var unique: [String] = []
        for role in roles.isEmpty ? ["*"] : roles where !unique.contains(role) { unique.append(role) }
        for role in framework.roles where !unique.contains(role) { leaveRole(role, frameworkID: frameworkID) }
        for role in unique { roleFrameworks[role, default: []].insert(frameworkID) }
        framework.roles = unique
        framework.suppressedRoles = suppressedRoles
        framework.active = active
        framework.registered = true
        framework.minimumAllocatable = minimumAllocatable
        frameworks[frameworkID] = framework
        order = nil
        allAgentsDirty = true
    }

    /// Forgets a framework: its allocations and offers return to the pool, its filters and demand
    /// are dropped.
    public mutating func removeFramework(_ frameworkID: String) {
        guard let framework = frameworks.removeValue(forKey: frameworkID) else { return }
        for (agentID, roles) in framework.agentRoles {
            guard var agent = agents[agentID] else { continue }
            for role in roles {
                let key = AgentState.AllocationKey(frameworkID: frameworkID, role: role)
                if let resources = agent.allocations.removeValue(forKey: key) { agent.allocated -= resources }
            }
            agents[agentID] = agent
            refreshAvailable(agentID)
            dirtyAgents.insert(agentID)
        }
        for (role, quantities) in framework.quantitiesByRole { subtractRoleQuantities(quantities, role: role) }
        for role in framework.roles { leaveRole(role, frameworkID: frameworkID) }
        filters.remove(frameworkID: frameworkID)
        order = nil
    }

    public mutating func activateFramework(_ frameworkID: String) {
        guard frameworks[frameworkID] != nil else { return }
        frameworks[frameworkID]?.active = true
        order = nil
        allAgentsDirty = true
    }

    /// Keeps its allocations but stops offers (the scheduler disconnected). Like Mesos, its offer
    /// filters are dropped: they were answers of a scheduler that is gone.
    public mutating func deactivateFramework(_ frameworkID: String) {
        guard frameworks[frameworkID] != nil else { return }
        frameworks[frameworkID]?.active = false
        filters.remove(frameworkID: frameworkID)
        order = nil
    }

    private mutating func leaveRole(_ role: String, frameworkID: String) {
        roleFrameworks[role]?.remove(frameworkID)
        if roleFrameworks[role]?.isEmpty ?? false { roleFrameworks[role] = nil }
    }
}
