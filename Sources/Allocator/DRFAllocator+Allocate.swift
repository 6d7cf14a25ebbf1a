import FairwayCore

extension DRFAllocator {
    /// Runs one allocation pass at `now` and returns the new offers to make (already counted as allocated).
    ///
    /// Walks the agents that have something free, in id order. For each, roles are taken in
    /// weighted-DRF order and, inside a role, frameworks in DRF order; the first framework that is
    /// neither filtered nor below the minimum allocatable gets everything on the agent its role may
    /// use. Shares are updated after each agent, so the next agent sees the new order.
    public mutating func allocate(now: Double) -> [Allocation] {
        filters.expire(now: now)
        guard !agentsWithAvailable.isEmpty else { return [] }
        var order = makeOrder()
        guard order.roles.count > 0 else { return [] }

        var offers: [Allocation] = []
        for agentID in agentsWithAvailable.sorted() {
            let granted = allocate(agentID: agentID, order: order, now: now)
            for allocation in granted {
                order.roles.update(allocation.role, share: roleShare(allocation.role))
                order.frameworks[allocation.role]?.update(
                    allocation.frameworkID, share: frameworkShare(allocation.frameworkID, in: allocation.role))
            }
            offers += granted
        }
        return offers
    }

    /// Who may be offered anything in this pass, in DRF order.
    struct Order {
        var roles: DRFSorter
        var frameworks: [String: DRFSorter]
        /// Roles where some framework has its own minimum allocatable resources.
        var rolesWithOwnMinimum: Set<String>
    }

    /// Builds the sorters from the incrementally kept quantities (no agent is visited).
    func makeOrder() -> Order {
        var members: [String: [(name: String, share: Double)]] = [:]
        var rolesWithOwnMinimum: Set<String> = []
        for (role, frameworkIDs) in roleFrameworks {
            for frameworkID in frameworkIDs {
                guard let framework = frameworks[frameworkID], framework.wantsOffers(in: role) else { continue }
                members[role, default: []].append((frameworkID, frameworkShare(frameworkID, in: role)))
                if framework.minimumAllocatable != nil { rolesWithOwnMinimum.insert(role) }
            }
        }
        return Order(
            roles: DRFSorter(members.keys.map { ($0, roleShare($0)) }),
            frameworks: members.mapValues { DRFSorter($0) },
            rolesWithOwnMinimum: rolesWithOwnMinimum
        )
    }

    /// Offers one agent's free resources; at most one framework per role gets something.
    private mutating func allocate(agentID: String, order: Order, now: Double) -> [Allocation] {
        guard var available = agents[agentID]?.available, !available.isEmpty else { return [] }
        var granted: [Allocation] = []
        for roleEntry in order.roles.entries {
            let role = roleEntry.name
            let candidate = available.allocatable(to: role)
            guard !candidate.isEmpty, let sorter = order.frameworks[role] else { continue }
            let quantities = ScalarQuantities(candidate)
            let meetsDefault = Self.meets(configuration.minimumAllocatable, quantities)
            guard meetsDefault || order.rolesWithOwnMinimum.contains(role) else { continue }

            for entry in sorter.entries {
                let frameworkID = entry.name
                let ownMinimum = frameworks[frameworkID]?.minimumAllocatable
                guard ownMinimum.map({ Self.meets($0, quantities) }) ?? meetsDefault else { continue }
                let key = OfferFilters.Key(frameworkID: frameworkID, role: role, agentID: agentID)
                guard !filters.refuses(key, candidate, now: now) else { continue }

                track(frameworkID: frameworkID, agentID: agentID, role: role, resources: candidate, offered: true)
                granted.append(Allocation(frameworkID: frameworkID, agentID: agentID, role: role, resources: candidate))
                available -= candidate
                break
            }
            if available.isEmpty { break }
        }
        return granted
    }

    /// Mesos `min_allocatable_resources`: any one quantity map fully present (none = no minimum).
    static func meets(_ minimum: [[String: Double]], _ quantities: ScalarQuantities) -> Bool {
        minimum.isEmpty || minimum.contains { quantities.covers($0) }
    }

    /// The role's dominant share divided by its weight.
    func roleShare(_ role: String) -> Double {
        let share = roleQuantities[role]?.dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
        return share / weight(of: role)
    }

    /// The framework's dominant share counting only what it holds in `role` (as Mesos's
    /// per-role framework sorters do).
    func frameworkShare(_ frameworkID: String, in role: String) -> Double {
        frameworks[frameworkID]?.quantitiesByRole[role]?
            .dominantShare(of: clusterTotal, excluding: configuration.excludedFromFairness) ?? 0
    }
}
