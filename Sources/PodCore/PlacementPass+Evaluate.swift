import FairwayCore

extension PlacementPass {
    func candidate(_ offer: Int, controller: Int?) -> AgentCandidate {
        let source = offers[offer]
        return AgentCandidate(
            offerID: source.offerID, agentID: source.agentID, hostname: source.hostname,
            attributes: source.attributes, totalCpus: totalCpus[offer], totalMem: totalMem[offer],
            freeCpus: freeCpus[offer], freeMem: freeMem[offer],
            replicasOfController: controller.map { replicaCounts[$0][agentSlot[offer]] ?? 0 } ?? 0,
            podsOnAgent: podsPerSlot[agentSlot[offer]]
        )
    }

    /// The weighted score of a feasible offer, or nil when a filter rejects it.
    func evaluate(_ pod: PodRequest, _ offer: Int, controller: Int?) -> Double? {
        let agent = candidate(offer, controller: controller)
        for filter in filters {
            if case .unfit = filter.filter(pod: pod, agent: agent) { return nil }
        }
        var total = 0.0
        for (index, scorer) in scorers.enumerated() {
            total += weights[index] * min(100, max(0, scorer.score(pod: pod, agent: agent)))
        }
        return total
    }

    /// The first filter the offer fails for the pod, nil when it fits.
    func firstFailure(_ pod: PodRequest, _ offer: Int, controller: Int?) -> String? {
        let agent = candidate(offer, controller: controller)
        for filter in filters {
            if case .unfit(let reason) = filter.filter(pod: pod, agent: agent) { return reason }
        }
        return nil
    }

    /// Records, for every offer in the pass, the first filter it fails for the group's pods, and
    /// the counts per reason.
    mutating func explainAll(_ group: Int, _ pod: PodRequest) {
        let controller = groups[group].controller
        var reasons: [String?] = []
        reasons.reserveCapacity(offers.count)
        var counts: [String: Int] = [:]
        var fitting = 0
        for offer in offers.indices {
            let failed = firstFailure(pod, offer, controller: controller)
            if let failed { counts[failed, default: 0] += 1 } else { fitting += 1 }
            reasons.append(failed)
        }
        groups[group].offerReasons = reasons
        groups[group].reasonCounts = counts
        groups[group].fittingOffers = fitting
    }

    /// Updates one offer's recorded reason after its agent was charged.
    mutating func reexplain(_ group: Int, _ pod: PodRequest, _ offer: Int) {
        let failed = firstFailure(pod, offer, controller: groups[group].controller)
        let old = groups[group].offerReasons?[offer] ?? nil
        guard failed != old else { return }
        if let old {
            groups[group].reasonCounts[old, default: 0] -= 1
            if groups[group].reasonCounts[old] == 0 { groups[group].reasonCounts[old] = nil }
        } else {
            groups[group].fittingOffers -= 1
        }
        if let failed { groups[group].reasonCounts[failed, default: 0] += 1 } else { groups[group].fittingOffers += 1 }
        groups[group].offerReasons?[offer] = failed
    }
}
