import FairwayCore

/// Read-only views for the master's state endpoints and the fairness view.
extension DRFAllocator {
    /// The earliest time an offer filter expires (so the master can schedule a pass then), or nil.
    /// May lie in the past when a filter expired since the last pass: run a pass now.
    public var nextFilterExpiry: Double? { filters.nextExpiry }

    /// Everything the framework holds, offered or in use, summed over agents and roles.
    public func allocated(frameworkID: String) -> Resources {
        guard let framework = frameworks[frameworkID] else { return Resources() }
        var sum = Resources()
        for (agentID, roles) in framework.agentRoles {
            guard let agent = agents[agentID] else { continue }
            for role in roles {
                sum += agent.allocations[AgentState.AllocationKey(frameworkID: frameworkID, role: role)] ?? Resources()
            }
        }
        return sum
    }

    /// What the framework holds on one agent, over all its roles.
    public func allocated(frameworkID: String, agentID: String) -> Resources {
        guard let agent = agents[agentID], let roles = frameworks[frameworkID]?.agentRoles[agentID] else { return Resources() }
        var sum = Resources()
        for role in roles {
            sum += agent.allocations[AgentState.AllocationKey(frameworkID: frameworkID, role: role)] ?? Resources()
        }
        return sum
    }

    /// Free resources of an agent (total minus allocated and offered); empty for an unknown agent.
    public func available(agentID: String) -> Resources {
        agents[agentID]?.available ?? Resources()
    }

    /// The framework's dominant share over all its roles: the largest fraction of any cluster
    /// resource (excluded names aside) it holds.
    public func dominantShare(of frameworkID: String) -> Double {
        frameworks[frameworkID]?.quantities
            .dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
    }

    /// The dominant share of the role's whole subtree, not divided by its weight.
    public func dominantShare(ofRole role: String) -> Double {
        roleShare(role) * weight(of: role)
    }

    /// Sum of every agent's total. Ranges of the same name (ports) are merged, not added.
    public func totalResources() -> Resources {
        var sum = Resources()
        for agent in agents.values { sum += agent.total }
        return sum
    }

    public func weight(of role: String) -> Double { weights[role] ?? 1 }

    /// Roles with at least one framework, a weight, or resources allocated in them; sorted.
    public var roles: [String] {
        Set(roleFrameworks.keys).union(weights.keys).union(subtreeQuantities.keys).union(quotas.keys).sorted()
    }

    public var agentIDs: [String] { agents.keys.sorted() }

    /// Frameworks the allocator tracks, including ones known only from re-registering agents.
    public var frameworkIDs: [String] { frameworks.keys.sorted() }

    /// How many offer filters are live (for metrics).
    public var offerFilterCount: Int { filters.count }

    /// Copies out what the fairness view analyses: totals, every framework's used, offered and
    /// declared quantities, weights and quotas.
    public func fairnessSnapshot() -> FairnessSnapshot {
        let shown = frameworks.keys.sorted().compactMap { id -> FairnessSnapshot.Framework? in
            guard let framework = frameworks[id] else { return nil }
            var used = framework.quantities
            let offered = framework.offered
            used -= offered
            var demand = ScalarQuantities()
            for entry in framework.demand { demand += entry.quantities }
            return FairnessSnapshot.Framework(
                id: id, roles: framework.roles, used: used.amounts, offered: offered.amounts,
                demand: demand.amounts, demandTasks: framework.demand.count,
                demandShapes: framework.demand.map(\.quantities.amounts),
                active: framework.active,
                suppressed: !framework.roles.isEmpty && framework.roles.allSatisfy(framework.suppressedRoles.contains),
                registered: framework.registered)
        }
        return FairnessSnapshot(
            total: clusterTotal.amounts, frameworks: shown, weights: weights, quotas: quotas,
            excluded: configuration.excludedFromFairness, agentCount: agents.count)
    }

    /// Resource names left out of dominant shares.
    public var excludedFromFairness: Set<String> { configuration.excludedFromFairness }
}
