import FairwayCore

extension DRFAllocator {
    /// Runs one allocation pass at `now` and returns the new offers to make (already counted as
    /// allocated and offered), at most one per framework, agent and role.
    ///
    /// Only agents whose free resources changed since the last pass are visited (or all of them
    /// after an event that lets someone want what was left before: a framework added or revived,
    /// new demand, a quota change), so a task ending costs one agent's worth of work. On each
    /// agent, roles and frameworks are served in hierarchical DRF order: roles below their quota
    /// guarantee first, then everyone. A framework that declared no demand gets everything its
    /// role may use there, as in Mesos; a framework that declared pending tasks gets one task's
    /// worth at a time, and the order is recomputed after each, so the agent is shared by
    /// progressive filling instead of going to whoever is first.
    public mutating func allocate(now: Double) -> [Allocation] {
        for agentID in filters.expire(now: now) where agentsWithAvailable.contains(agentID) {
            dirtyAgents.insert(agentID)
        }
        if order == nil { order = makeOrder() }
        let visit = agentsToVisit()
        guard !(order?.isEmpty ?? true), !visit.isEmpty else { return [] }

        var pass = AllocationPass(quota: QuotaPass(self))
        if pass.quota.hasUnmetGuarantees {
            let unmet = pass.quota.rolesWithUnmetGuarantees
            pass.guaranteeOrder = makeOrder { role in
                var path = role
                while !path.isEmpty {
                    if unmet.contains(path) { return true }
                    path = RoleOrder.parent(of: path)
                }
                return false
            }
        }
        for role in pass.quota.rolesAtLimit { leaveForThisPass(role, pass: &pass) }
        for agentID in visit {
            pass.beginAgent()
            if !(pass.guaranteeOrder?.walksNothing ?? true) {
                allocate(agentID: agentID, stage: .guarantees, pass: &pass, now: now)
            }
            allocate(agentID: agentID, stage: .fairShare, pass: &pass, now: now)
        }
        // Roles taken out of the walk for this pass come back with the next one.
        if pass.orderTrimmed { order = nil }
        return pass.allocations()
    }

    /// Takes a role (and its subtree) out of this pass's walks: it reached a quota limit.
    private mutating func leaveForThisPass(_ role: String, pass: inout AllocationPass) {
        guard var current = order else { return }
        order = nil
        current.removeNode(role)
        order = current
        pass.guaranteeOrder?.removeNode(role)
        pass.orderTrimmed = true
    }

    /// The agents this pass looks at, in id order, and marks them clean.
    private mutating func agentsToVisit() -> [String] {
        defer {
            allAgentsDirty = false
            dirtyAgents.removeAll(keepingCapacity: true)
        }
        if allAgentsDirty {
            if sortedAgentIDs.count != agents.count { sortedAgentIDs = agents.keys.sorted() }
            return sortedAgentIDs.filter { agentsWithAvailable.contains($0) }
        }
        return dirtyAgents.filter { agentsWithAvailable.contains($0) }.sorted()
    }

    /// Builds the service order from the incrementally kept quantities (no agent is visited),
    /// over the roles `including` accepts.
    func makeOrder(including: (String) -> Bool = { _ in true }) -> RoleOrder {
        var order = RoleOrder()
        for (role, frameworkIDs) in roleFrameworks where including(role) {
            for frameworkID in frameworkIDs.sorted() {
                guard let framework = frameworks[frameworkID], framework.wantsOffers(in: role) else { continue }
                order.insert(frameworkID: frameworkID, role: role, share: frameworkShare(frameworkID, in: role))
                if let minimum = framework.minimumAllocatable {
                    order.rolesWithOwnMinimum.insert(role)
                    order.ownMinimums.formUnion(minimum.isEmpty ? [[:]] : minimum)
                } else {
                    order.someUseDefaultMinimum = true
                }
            }
        }
        for node in order.nodes { order.updateNode(node, share: nodeShare(node)) }
        return order
    }

    enum Stage { case guarantees, fairShare }

    /// Serves one agent in one stage until nobody eligible can use what is left.
    private mutating func allocate(agentID: String, stage: Stage, pass: inout AllocationPass, now: Double) {
        guard var available = agents[agentID]?.available, !available.isEmpty else { return }
        var done: Set<AllocationPass.Key> = []
        var doneRoles: Set<String> = []
        while !available.isEmpty, couldServeAnyone(available, stage: stage, pass: pass),
              let pick = nextCandidate(agentID: agentID, available: available, stage: stage,
                                       done: &done, doneRoles: &doneRoles, pass: pass, now: now) {
            let key = AllocationPass.Key(frameworkID: pick.frameworkID, agentID: agentID, role: pick.role)
            let grant: Resources
            // Whether the grant is all of `available` (the usual whole-agent offer): then nothing is
            // left, with no subtraction. Candidates only drop pools, and cut scalars only under quota.
            var takesAll: Bool
            if frameworks[pick.frameworkID]?.demand.isEmpty ?? true {
                grant = pick.candidate
                takesAll = grant.values.count == available.values.count && !pass.quota.hasQuotas
                if !takesAll { done.insert(key) }
            } else if let task = pass.takeTask(of: pick.frameworkID, fitting: pick.candidate, allocator: self, refused: {
                filters.refuses(OfferFilters.Key(frameworkID: pick.frameworkID, role: pick.role, agentID: agentID), $0, now: now)
            }) {
                grant = task
                takesAll = false
            } else {
                done.insert(key)
                continue
            }
            if !takesAll, grant.values.count == available.values.count { takesAll = grant == available }
            if takesAll { available = Resources() } else { available -= grant }
            track(frameworkID: pick.frameworkID, agentID: agentID, role: pick.role, resources: grant, offered: true,
                  availableAfter: available)
            pass.record(key, grant)
            let effects = pass.quota.charge(grant, role: pick.role)
            for role in effects.guaranteesMet { pass.guaranteeOrder?.removeNode(role) }
            for role in effects.limitsReached { leaveForThisPass(role, pass: &pass) }
        }
    }

    private struct Candidate {
        var role: String
        var frameworkID: String
        var candidate: Resources
    }

    /// The first (role, framework) in service order that may be offered something of `available`.
    private func nextCandidate(
        agentID: String, available: Resources, stage: Stage,
        done: inout Set<AllocationPass.Key>, doneRoles: inout Set<String>, pass: AllocationPass, now: Double
    ) -> Candidate? {
        guard let order = stage == .guarantees ? pass.guaranteeOrder : order else { return nil }
        var cursor = RoleOrder.Cursor()
        while let (role, members) = cursor.next(in: order) {
            guard !doneRoles.contains(role) else { continue }
            var candidate = available.allocatable(to: role)
            if stage == .guarantees {
                candidate = pass.quota.withinGuarantee(candidate, role: role)
            } else {
                candidate = pass.quota.withinHeadroom(candidate, role: role)
            }
            candidate = pass.quota.withinLimits(candidate, role: role)
            let quantities = ScalarQuantities(candidate)
            let meetsDefault = Self.meets(configuration.minimumAllocatable, quantities)
            guard !candidate.isEmpty, meetsDefault || order.rolesWithOwnMinimum.contains(role) else {
                doneRoles.insert(role)
                continue
            }
            for entry in members.entries {
                let frameworkID = entry.name
                let key = AllocationPass.Key(frameworkID: frameworkID, agentID: agentID, role: role)
                guard !done.contains(key) else { continue }
                let ownMinimum = frameworks[frameworkID]?.minimumAllocatable
                guard ownMinimum.map({ Self.meets($0, quantities) }) ?? meetsDefault,
                      !filters.refuses(OfferFilters.Key(frameworkID: frameworkID, role: role, agentID: agentID),
                                       candidate, now: now)
                else {
                    done.insert(key)
                    continue
                }
                return Candidate(role: role, frameworkID: frameworkID, candidate: candidate)
            }
            doneRoles.insert(role)
        }
        return nil
    }

    /// Whether what is left on an agent could meet anyone's minimum: crumbs (ports and disk with
    /// no cpus or memory, say) end the agent's turn without walking every role.
    private func couldServeAnyone(_ available: Resources, stage: Stage, pass: AllocationPass) -> Bool {
        if stage == .guarantees, !pass.quota.couldServeGuarantees(available) { return false }
        guard let walked = stage == .guarantees ? pass.guaranteeOrder : order else { return false }
        let quantities = ScalarQuantities(available)
        if walked.someUseDefaultMinimum, Self.meets(configuration.minimumAllocatable, quantities) { return true }
        return walked.ownMinimums.contains { quantities.covers($0) }
    }

    /// Mesos `min_allocatable_resources`: any one quantity map fully present (none = no minimum).
    static func meets(_ minimum: [[String: Double]], _ quantities: ScalarQuantities) -> Bool {
        minimum.isEmpty || minimum.contains { quantities.covers($0) }
    }
}
