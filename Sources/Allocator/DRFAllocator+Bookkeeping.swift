import FairwayCore

/// Keeping agents, frameworks and roles consistent when resources change hands.
extension DRFAllocator {
    /// Records `resources` of `agentID` as held by the framework in `role` and updates the
    /// framework's and role's quantities. An unknown framework gets an unregistered placeholder.
    mutating func track(
        frameworkID: String, agentID: String, role: String, resources: Resources, offered: Bool = false,
        availableAfter: Resources? = nil
    ) {
        guard agents[agentID] != nil, !resources.isEmpty else { return }
        let key = AgentState.AllocationKey(frameworkID: frameworkID, role: role)
        let quantities = ScalarQuantities(resources)
        // Mutated in place (no copy out and back), this is the hot path of every pass.
        agents[agentID]?.hold(resources, quantities, key: key, offered: offered, availableAfter: availableAfter)
        if agents[agentID]?.available.isEmpty ?? true { agentsWithAvailable.remove(agentID) }

        frameworks[frameworkID, default: FrameworkState()].hold(quantities, agentID: agentID, role: role, offered: offered)
        roleQuantities[role, default: ScalarQuantities()] += quantities
        forEachPath(upFrom: role) { subtreeQuantities[$0, default: ScalarQuantities()] += quantities }
        updateOrder(frameworkID: frameworkID, role: role)
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
        if frameworks[frameworkID] != nil {
            // Changed in place: a copy taken out and put back would copy its per-agent table.
            frameworks[frameworkID]!.release(quantities, agentID: agentID, role: role, offered: offered, agentEmptied: left.isEmpty)
            dropIfEmptyPlaceholder(frameworkID)
        }
        dirtyAgents.insert(agentID)
        updateOrder(frameworkID: frameworkID, role: role)
        return removed
    }

    /// Moves the framework in its role's sorter, and the role and its ancestors in theirs, after
    /// its holdings in `role` changed.
    mutating func updateOrder(frameworkID: String, role: String) {
        // Taken out while updated so the sorters are modified in place, not copied.
        guard var current = order else { return }
        order = nil
        current.updateFramework(frameworkID, role: role, share: frameworkShare(frameworkID, in: role))
        if current.hasRole(role) {
            current.updateNode(RoleOrder.ownGroup(of: role), share: ownGroupShare(role))
            // The role and its ancestors up to its top-level role.
            var path = role
            while let parent = current.parentInTree(of: path) {
                current.updateNode(path, share: roleShare(path))
                if parent == RoleOrder.root { break }
                path = parent
            }
        }
        order = current
    }

    /// Calls `body` with `role` and each of its ancestors (`eng/batch`, then `eng`).
    func forEachPath(upFrom role: String, _ body: (String) -> Void) {
        var path = role
        while !path.isEmpty {
            body(path)
            path = RoleOrder.parent(of: path)
        }
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
        forEachPath(upFrom: role) { path in
            subtreeQuantities[path]? -= quantities
            if subtreeQuantities[path]?.isEmpty ?? false { subtreeQuantities[path] = nil }
        }
    }

    /// A node's share in its parent's sorter: a role's subtree divided by its weight, or what a
    /// role holds itself (its own group of frameworks).
    func nodeShare(_ node: String) -> Double {
        RoleOrder.isOwnGroup(node) ? ownGroupShare(String(node.dropLast(2))) : roleShare(node)
    }

    /// What the role holds itself, as a share (its frameworks' group weighs 1 against sub-roles).
    func ownGroupShare(_ role: String) -> Double {
        roleQuantities[role]?.dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
    }

    /// The role's subtree dominant share divided by its weight.
    func roleShare(_ role: String) -> Double {
        let share = subtreeQuantities[role]?.dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
        return share / weight(of: role)
    }

    /// The framework's dominant share counting only what it holds in `role` (as Mesos's
    /// per-role framework sorters do).
    func frameworkShare(_ frameworkID: String, in role: String) -> Double {
        frameworks[frameworkID]?.quantitiesByRole[role]?
            .dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
    }

    /// A placeholder made for tasks of a not-yet-subscribed framework goes once it holds nothing.
    mutating func dropIfEmptyPlaceholder(_ frameworkID: String) {
        guard let framework = frameworks[frameworkID], !framework.registered, framework.agentRoles.isEmpty else { return }
        frameworks[frameworkID] = nil
    }
}
