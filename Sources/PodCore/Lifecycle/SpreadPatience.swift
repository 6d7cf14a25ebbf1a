/// Offers come one agent at a time when the master sizes them to declared demand, so a
/// controller's replicas would all land on whichever agent is offered first. Spread patience holds
/// a replica back for a moment when its agent already has its fair share of the controller's
/// replicas and another agent seen recently could take it; the shell declines the agent's leftovers
/// with a short filter so the master offers the others. After `maximumWait` the replica goes
/// wherever it fits: spreading is a preference, never a reason to stay pending.
struct SpreadPatience: Sendable {
    struct SeenAgent: Sendable {
        var lastSeen: Double
        var cpus: Double
        var memMB: Double
        var offer: AgentOffer
    }

    /// Agents seen in offers, with the largest free resources they offered.
    var agents: [String: SeenAgent] = [:]
    var waitingSince: [String: Double] = [:]
    var maximumWait = 3.0
    /// An agent not offered for this long is not counted.
    var agentMemory = 120.0

    mutating func saw(_ offers: [AgentOffer], now: Double) {
        for offer in offers {
            var seen = agents[offer.agentID] ?? SeenAgent(lastSeen: now, cpus: 0, memMB: 0, offer: offer)
            seen.lastSeen = now
            seen.offer = offer
            seen.cpus = max(seen.cpus, offer.cpus)
            seen.memMB = max(seen.memMB, offer.memMB)
            agents[offer.agentID] = seen
        }
    }

    /// The agents seen recently enough to count, once per placement pass.
    func liveAgents(now: Double) -> [(id: String, seen: SeenAgent)] {
        agents.compactMap { now - $0.value.lastSeen <= agentMemory ? ($0.key, $0.value) : nil }
    }

    /// Whether to hold `pod` back from `agentID`, which would then hold `replicasThere` of the
    /// controller's `total` replicas. `live` is `liveAgents(now:)`; `replicasOn` counts the
    /// replicas on another agent.
    mutating func shouldHold(_ pod: PodRequest, on agentID: String, replicasThere: Int, total: Int,
                             live: [(id: String, seen: SeenAgent)], replicasOn: (String) -> Int, now: Double) -> Bool {
        guard live.count > 1 else { return false }
        let fairShare = (total + live.count - 1) / live.count
        guard replicasThere > fairShare else { return false }
        let since = waitingSince[pod.uid] ?? now
        guard now - since < maximumWait else { return false }
        let elsewhere = live.contains { id, seen in
            id != agentID && seen.cpus >= pod.cpus && seen.memMB >= pod.memMB && replicasOn(id) < fairShare
        }
        if elsewhere { waitingSince[pod.uid] = since }
        return elsewhere
    }

    mutating func placed(_ uid: String) { waitingSince[uid] = nil }

    /// The agents seen recently, each as an offer of the most it ever offered: what a pod could hope
    /// for at best, to explain why one that no offer came for cannot be placed.
    func bestOffers(now: Double) -> [AgentOffer] {
        agents.filter { now - $0.value.lastSeen <= agentMemory }.sorted { $0.key < $1.key }.map { id, seen in
            var offer = seen.offer
            offer.offerID = "best-" + id
            offer.cpus = seen.cpus
            offer.memMB = seen.memMB
            return offer
        }
    }
}
