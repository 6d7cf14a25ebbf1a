import FairwayCore

extension PlacementPass {
    func candidate(_ offer: Int, controller: Int?) -> AgentCandidate {
        let source = offers[offer]
        return AgentCandidate(
            offerID: source.offerID, agentID: source.agentID, hostname: source.hostname,
            attributes: source.attributes, totalCpus: totalCpus[offer], totalMem: totalMem[offer],
            freeCpus: freeCpus[offer], freeMem: freeMem[offer],
            replicasOfController: controller.map { replicaCounts[$0][agentSlot[offer]] ?? 0 } ?? 0
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

    /// Counts, over every offer in the pass, the first filter each one fails.
    func explain(_ pod: PodRequest, controller: Int?) -> UnschedulableReason {
        var counts: [String: Int] = [:]
        var available = 0
        for offer in offers.indices {
            let agent = candidate(offer, controller: controller)
            var failed: String?
            for filter in filters {
                if case .unfit(let reason) = filter.filter(pod: pod, agent: agent) {
                    failed = reason
                    break
                }
            }
            if let failed { counts[failed, default: 0] += 1 } else { available += 1 }
        }
        return UnschedulableReason(agentsTotal: offers.count, agentsAvailable: available, counts: counts)
    }
}
