import PodCore

func pod(_ uid: String, cpus: Double = 1, mem: Double = 128, selector: [String: String] = [:], rc: String? = nil, at createdAt: Double = 0) -> PodRequest {
    PodRequest(uid: uid, name: uid, cpus: cpus, memMB: mem, nodeSelector: selector, controllerKey: rc, createdAt: createdAt)
}

func offer(_ agent: String, cpus: Double = 4, mem: Double = 4096, attributes: [String: String] = [:]) -> AgentOffer {
    var labels = attributes
    labels[AgentOffer.hostnameLabel] = agent + ".local"
    return AgentOffer(offerID: "o-" + agent, agentID: agent, hostname: agent + ".local", cpus: cpus, memMB: mem, attributes: labels)
}

extension PlacementResult {
    /// agentID → number of pods assigned there.
    var podsPerAgent: [String: Int] {
        assignments.reduce(into: [:]) { $0[$1.agentID, default: 0] += 1 }
    }
}
