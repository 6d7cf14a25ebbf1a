import FairwayCore

/// The working state of one `PodPlacer.place` call: offers sorted by agent ID with their
/// remaining capacity, replica counts per agent, and one scored heap per pod shape.
struct PlacementPass {
    enum Outcome {
        case placed(offer: Int)
        case unplaced(UnschedulableReason)
    }

    /// What makes two pods interchangeable for placement.
    struct Shape: Hashable {
        var cpus: Scalar
        var mem: Scalar
        var nodeSelector: [String: String]
        var controllerKey: String?
    }

    struct Group {
        var heap = CandidateHeap()
        var built = false
        var controller: Int?
        /// How much of `chargeLog` this group's heap has seen.
        var seenCharges = 0
        var lastReason: UnschedulableReason?
        /// Once the group found no agent: each offer's first failing filter (nil when it fits), with
        /// the counts, kept up to date for the agents charged since, so a full cluster does not cost
        /// a scan of every offer for every pod that does not fit.
        var offerReasons: [String?]?
        var reasonCounts: [String: Int] = [:]
        var fittingOffers = 0
    }

    let offers: [AgentOffer]
    let filters: [any FilterPlugin]
    let scorers: [any ScorePlugin]
    let weights: [Double]
    let totalCpus: [Scalar]
    let totalMem: [Scalar]
    var freeCpus: [Scalar]
    var freeMem: [Scalar]
    var used: [Bool]
    let agentSlot: [Int]
    let offersOfSlot: [[Int]]
    var slotVersion: [UInt32]
    /// Agent slots in the order they were charged.
    var chargeLog: [Int] = []
    let slotOfAgent: [String: Int]
    var groupIndex: [Shape: Int] = [:]
    var groups: [Group] = []
    var controllerIndex: [String: Int] = [:]
    /// Per controller: agent slot → replicas already there.
    var replicaCounts: [[Int: Int]] = []
    /// Per agent slot: pods on the agent, those charged in this pass included.
    var podsPerSlot: [Int]
    let state: PlacementState
    /// With `watchRoom`: offers that can still take the smallest pod waiting.
    var offersWithRoom = 0
    var roomFor: (cpus: Scalar, mem: Scalar)?

    init(offers unsorted: [AgentOffer], filters: [any FilterPlugin], scorers: [any ScorePlugin], weights: [Double], state: PlacementState) {
        let offers = unsorted.sorted {
            $0.agentID != $1.agentID ? $0.agentID < $1.agentID : $0.offerID < $1.offerID
        }
        self.offers = offers
        self.filters = filters
        self.scorers = scorers
        self.weights = weights
        self.state = state
        totalCpus = offers.map { Scalar($0.cpus) }
        totalMem = offers.map { Scalar($0.memMB) }
        freeCpus = totalCpus
        freeMem = totalMem
        used = Array(repeating: false, count: offers.count)
        var slotOfAgent: [String: Int] = [:]
        var agentSlot: [Int] = []
        var offersOfSlot: [[Int]] = []
        agentSlot.reserveCapacity(offers.count)
        for (index, offer) in offers.enumerated() {
            if let slot = slotOfAgent[offer.agentID] {
                agentSlot.append(slot)
                offersOfSlot[slot].append(index)
            } else {
                slotOfAgent[offer.agentID] = offersOfSlot.count
                agentSlot.append(offersOfSlot.count)
                offersOfSlot.append([index])
            }
        }
        self.slotOfAgent = slotOfAgent
        self.agentSlot = agentSlot
        self.offersOfSlot = offersOfSlot
        slotVersion = Array(repeating: 0, count: offersOfSlot.count)
        podsPerSlot = offersOfSlot.map { state.pods(on: offers[$0[0]].agentID) }
    }

    /// Starts counting the offers with room for a pod of this size (`offersWithRoom`).
    mutating func watchRoom(cpus: Scalar, mem: Scalar) {
        roomFor = (cpus, mem)
        offersWithRoom = offers.indices.filter { hasRoom($0) }.count
    }

    func hasRoom(_ offer: Int) -> Bool {
        guard let roomFor else { return true }
        return freeCpus[offer] >= roomFor.cpus && freeMem[offer] >= roomFor.mem
    }

    func unusedOfferIDs(inOrderOf original: [AgentOffer]) -> [String] {
        var usedIDs = Set<String>()
        for (index, offer) in offers.enumerated() where used[index] { usedIDs.insert(offer.offerID) }
        return original.map(\.offerID).filter { !usedIDs.contains($0) }
    }
}
