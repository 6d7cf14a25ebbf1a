import FairwayCore

/// Keeping agents, frameworks and roles consistent when resources change hands.
extension DRFAllocator {
    /// Records `resources` of `agentID` as held by the framework in `role` and updates the
    /// framework's and role's quantities. An unknown framework gets an unregistered placeholder.
    mutating func track(frameworkID: String, agentID: String, role: String, resources: Resources, offered: Bool = false) {
        guard var agent = agents[agentID], !resources.isEmpty else { return }
        let key = AgentState.AllocationKey(frameworkID: frameworkID, role: role)
        let quantities = ScalarQuantities(resources)
        agent.allocations[key, default: Resources()] += resources
        agent.allocated += resources
        if offered { agent.offered[key, default: ScalarQuantities()] += quantities }
        agents[agentID] = agent
        refreshAvailable(agentID)

        var framework = frameworks[frameworkID] ?? FrameworkState()
        framework.agentRoles[agentID, default: []].insert(role)
        framework.quantitiesByRole[role, default: ScalarQuantities()] += quantities
        if offered { framework.offeredByRole[role, default: ScalarQuantities()] += quantities }
        frameworks[frameworkID] = framework
        roleQuantities[role, default: ScalarQuantities()] += quantities
    }

    /// Takes back what of `resources` the framework really holds on the agent in `role`, and
    /// returns that part (a master that recovers more than it was given cannot corrupt the books).
    @discardableResult
    mutating func untrack(
        frameworkID: String, agentID: String, role: String, resources: Resources, offered: Bool = false
    ) -> Resources {
        let key = AgentState.AllocationKey(frameworkID: frameworkID, role: role)
        guard var agent = agents[agentID], let held = agent.allocations[key] else { return Resources() }
        let removed = held - (held - resources)
        guard !removed.isEmpty else { return removed }
        let left = held - removed
        let quantities = ScalarQuantities(removed)
        agent.allocations[key] = left.isEmpty ? nil : left
        agent.allocated -= removed
        if offered { agent.settleOffered(quantities, key: key) }
        agents[agentID] = agent
        refreshAvailable(agentID)

        subtractRoleQuantities(quantities, role: role)
        if var framework = frameworks[frameworkID] {
            framework.quantitiesByRole[role]? -= quantities
            if framework.quantitiesByRole[role]?.isEmpty ?? false { framework.quantitiesByRole[role] = nil }
            if offered { framework.settleOffered(quantities, role: role) }
            if left.isEmpty {
                framework.agentRoles[agentID]?.remove(role)
                if framework.agentRoles[agentID]?.isEmpty ?? false { framework.agentRoles[agentID] = nil }
            }
            frameworks[frameworkID] = framework
            dropIfEmptyPlaceholder(frameworkID)
        }
        return removed
    }

    mutating func refreshAvailable(_ agentID: String) {
        guard var agent = agents[agentID] else { return }
        agent.refreshAvailable()
        agents[agentID] = agent
        if agent.available.isEmpty {
            agentsWithAvailable.remove(agentID)
        } else {
            agentsWithAvailable.insert(agentID)
        }
    }

    mutating func subtractRoleQuantities(_ quantities: ScalarQuantities, role: String) {
        roleQuantities[role]? -= quantities
        if roleQuantities[role]?.isEmpty ?? false { roleQuantities[role] = nil }
    }

    /// A placeholder made for tasks of a not-yet-subscribed framework goes once it holds nothing.
    mutating func dropIfEmptyPlaceholder(_ frameworkID: String) {
        guard let framework = frameworks[frameworkID], !framework.registered, framework.agentRoles.isEmpty else { return }
        frameworks[frameworkID] = nil
    }
}
