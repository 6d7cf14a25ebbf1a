import FairwayCore

extension DRFAllocator {
    /// Marks resources as used by a framework without an offer (tasks reported by a re-registering agent).
    ///
    /// The framework need not be registered yet (after a master failover agents usually come back
    /// before frameworks re-subscribe); its resources are counted anyway. Unknown agents are ignored:
    /// add the agent first.
    public mutating func allocateUsed(frameworkID: String, agentID: String, role: String, resources: Resources) {
        track(frameworkID: frameworkID, agentID: agentID, role: role, resources: resources)
    }

    /// Resources come back: an offer declined or partly used, a task ended, an offer rescinded.
    /// With `refuseSeconds` > 0 the framework will not be offered these resources (or a subset of them) on that agent until now+refuseSeconds (Mesos offer filter semantics: filtered when the candidate offer is contained in the declined resources).
    ///
    /// Only what the framework actually holds there is taken back. `nil` or a non-positive
    /// `refuseSeconds` installs no filter (the master applies Mesos's 5 s default for a DECLINE
    /// without filters); refusals are capped at a year.
    public mutating func recover(
        frameworkID: String, agentID: String, role: String, resources: Resources, refuseSeconds: Double?, now: Double
    ) {
        recover(frameworkID: frameworkID, agentID: agentID, role: role, resources: resources,
                refuseSeconds: refuseSeconds, now: now, offered: false)
    }

    /// Like `recover`, for resources that were still in an offer: declined, rescinded, or the
    /// unused part of an accepted offer. Keeps the offered-versus-used books (fairness view,
    /// demand-aware sizing) right.
    public mutating func recoverOffer(
        frameworkID: String, agentID: String, role: String, resources: Resources, refuseSeconds: Double?, now: Double
    ) {
        recover(frameworkID: frameworkID, agentID: agentID, role: role, resources: resources,
                refuseSeconds: refuseSeconds, now: now, offered: true)
    }

    /// The used part of an accepted offer: it stays allocated but no longer counts as offered, and
    /// the declared pending tasks it covers (greedily, in declaration order) are no longer pending,
    /// so a framework need not send REQUEST again after every launch.
    public mutating func offerAccepted(frameworkID: String, agentID: String, role: String, resources: Resources) {
        guard !resources.isEmpty, frameworks[frameworkID] != nil else { return }
        let quantities = ScalarQuantities(resources)
        agents[agentID]?.settleOffered(quantities, key: AgentState.AllocationKey(frameworkID: frameworkID, role: role))
        // Changed in place: a copy taken out and put back would copy its per-agent table.
        frameworks[frameworkID]!.settleOffered(quantities, role: role)
        if !(frameworks[frameworkID]?.demand.isEmpty ?? true) {
            var used = quantities
            frameworks[frameworkID]!.demand.removeAll { entry in
                let needed = entry.quantities
                guard !used.isEmpty, !needed.isEmpty, used.covers(needed) else { return false }
                used -= needed
                return true
            }
        }
    }

    private mutating func recover(
        frameworkID: String, agentID: String, role: String, resources: Resources, refuseSeconds: Double?, now: Double,
        offered: Bool
    ) {
        untrack(frameworkID: frameworkID, agentID: agentID, role: role, resources: resources, offered: offered)
        // Declared tasks refused here (a filter) and now covered by no offer may go to any other
        // agent: let the next pass look at all of them. Without a filter this agent is dirty anyway,
        // and when the framework's offers still cover its tasks nobody wants more, so the common
        // case (the unused part of an accepted offer) costs no full pass.
        if offered, (refuseSeconds ?? 0) > 0, !(frameworks[frameworkID]?.demand.isEmpty ?? true),
           !uncoveredDemand(of: frameworkID).isEmpty {
            allAgentsDirty = true
        }
        guard let seconds = refuseSeconds, seconds > 0, !resources.isEmpty,
              frameworks[frameworkID]?.registered ?? false, agents[agentID] != nil
        else { return }
        let key = OfferFilters.Key(frameworkID: frameworkID, role: role, agentID: agentID)
        filters.add(key, refused: resources, expiry: now + min(seconds, Self.maximumRefuseSeconds))
    }
}
