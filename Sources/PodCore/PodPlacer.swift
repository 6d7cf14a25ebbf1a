import FairwayCore

/// The pod scheduler's pure placement core: given the pending queue and a batch of offers, it
/// places as many pods as fit in one pass (feasibility → score → select), charging each offer
/// as pods land on it, and says why the rest must wait.
///
/// Cost stays about O(pods × offers) in the worst case and far less in the common one: pods of
/// identical shape (cpus, memory, nodeSelector, controllerKey) share one scored heap of offers,
/// and after each charge only the charged agent is re-scored.
public struct PodPlacer: Sendable {
    /// Existing placements; `place` records its own assignments here.
    public var state: PlacementState
    public let profile: SchedulerProfile
    let filters: [any FilterPlugin]
    let scorers: [any ScorePlugin]
    let weights: [Double]

    /// The built-in plugins with the default profile; an agent takes at most `maximumPodsPerAgent`.
    public init(state: PlacementState = PlacementState(), maximumPodsPerAgent: Int = PodsPerAgent.defaultMaximum) {
        self.state = state
        self.profile = .default
        self.filters = [ResourcesFit(), NodeSelectorMatch(), PodsPerAgent(maximum: maximumPodsPerAgent)]
        let scorers: [any ScorePlugin] = [SpreadReplicas(), LeastAllocated()]
        self.scorers = scorers
        self.weights = scorers.map(\.weight)
    }

    /// A profile's plugins, looked up in a registry. Throws `UnknownPluginError` for a name the
    /// registry lacks.
    public init(profile: SchedulerProfile, registry: PluginRegistry = .builtIn, state: PlacementState = PlacementState()) throws {
        var filters: [any FilterPlugin] = []
        for name in profile.filters {
            guard let make = registry.filters[name] else {
                throw UnknownPluginError(kind: "filter", name: name, known: registry.filters.keys.sorted())
            }
            filters.append(make())
        }
        var scorers: [any ScorePlugin] = []
        var weights: [Double] = []
        for entry in profile.scores {
            guard let make = registry.scores[entry.name] else {
                throw UnknownPluginError(kind: "score", name: entry.name, known: registry.scores.keys.sorted())
            }
            let plugin = make()
            scorers.append(plugin)
            weights.append(entry.weight ?? plugin.weight)
        }
        self.state = state
        self.profile = profile
        self.filters = filters
        self.scorers = scorers
        self.weights = weights
    }

    /// One placement pass. Pods are taken oldest first (by `createdAt`, then queue order); each
    /// goes to the feasible offer with the highest weighted score (ties: lowest agent ID, then
    /// lowest offer ID). Pods already recorded in `state` and repeated uids are skipped.
    /// `now` stamps the placements recorded in `state`.
    public mutating func place(pending: [PodRequest], offers: [AgentOffer], now: Double) -> PlacementResult {
        let ordered = pending.enumerated().sorted {
            $0.element.createdAt != $1.element.createdAt
                ? $0.element.createdAt < $1.element.createdAt : $0.offset < $1.offset
        }
        return place(oldestFirst: ordered.lazy.map(\.element), offers: offers, now: now)
    }

    /// One placement pass over pods already in order, oldest first (a `PodQueue` keeps them so).
    /// With `smallest` — the least cpus and the least memory any of them asks for — the pass
    /// stops once no offer has that much left: the pods after that could not be placed, and a long
    /// queue is not walked, nor its pods given reasons, for nothing.
    public mutating func place(oldestFirst pending: some Sequence<PodRequest>, offers: [AgentOffer], now: Double,
                               smallest: (cpus: Double, memMB: Double)? = nil) -> PlacementResult {
        var pass = PlacementPass(offers: offers, filters: filters, scorers: scorers, weights: weights, state: state)
        if let smallest { pass.watchRoom(cpus: Scalar(smallest.cpus), mem: Scalar(smallest.memMB)) }
        var result = PlacementResult()
        var seen = Set<String>()
        for pod in pending {
            if smallest != nil, pass.offersWithRoom == 0 { break }
            guard state.pods[pod.uid] == nil, seen.insert(pod.uid).inserted else { continue }
            switch pass.placeNext(pod) {
            case .placed(let offer):
                let chosen = pass.offers[offer]
                result.assignments.append(PodAssignment(podUID: pod.uid, offerID: chosen.offerID, agentID: chosen.agentID))
                state.record(podUID: pod.uid, controllerKey: pod.controllerKey, agentID: chosen.agentID, at: now)
            case .unplaced(let reason):
                result.unplaced[pod.uid] = reason
            }
        }
        result.unusedOffers = pass.unusedOfferIDs(inOrderOf: offers)
        return result
    }
}
