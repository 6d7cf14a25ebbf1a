import FairwayCore

extension PlacementPass {
    /// Places one pod: refresh its shape's heap with the agents charged since it last looked,
    /// drop stale entries, take the best, charge it.
    mutating func placeNext(_ pod: PodRequest) -> Outcome {
        let group = groupFor(pod)
        if !groups[group].built { build(group, pod) } else { refresh(group, pod) }
        while let top = groups[group].heap.top {
            let offer = Int(top.offer)
            if top.version != slotVersion[agentSlot[offer]] {
                groups[group].heap.popTop()
                continue
            }
            charge(offer, pod, controller: groups[group].controller)
            return .placed(offer: offer)
        }
        if let reason = groups[group].lastReason { return .unplaced(reason) }
        if groups[group].offerReasons == nil { explainAll(group, pod) }
        let reason = UnschedulableReason(agentsTotal: offers.count, agentsAvailable: groups[group].fittingOffers,
                                         counts: groups[group].reasonCounts)
        groups[group].lastReason = reason
        return .unplaced(reason)
    }

    private mutating func groupFor(_ pod: PodRequest) -> Int {
        let shape = Shape(cpus: pod.cpuQuantity, mem: pod.memQuantity, nodeSelector: pod.nodeSelector, controllerKey: pod.controllerKey)
        if let index = groupIndex[shape] { return index }
        var group = Group()
        if let key = pod.controllerKey { group.controller = controllerFor(key) }
        groups.append(group)
        groupIndex[shape] = groups.count - 1
        return groups.count - 1
    }

    private mutating func controllerFor(_ key: String) -> Int {
        if let index = controllerIndex[key] { return index }
        var counts: [Int: Int] = [:]
        for (agentID, count) in state.replicasByAgent(of: key) {
            if let slot = slotOfAgent[agentID] { counts[slot] = count }
        }
        replicaCounts.append(counts)
        controllerIndex[key] = replicaCounts.count - 1
        return replicaCounts.count - 1
    }

    private mutating func build(_ group: Int, _ pod: PodRequest) {
        let controller = groups[group].controller
        var entries: [CandidateHeap.Entry] = []
        entries.reserveCapacity(offers.count)
        for offer in offers.indices {
            if let score = evaluate(pod, offer, controller: controller) {
                entries.append(.init(score: score, offer: Int32(offer), version: slotVersion[agentSlot[offer]]))
            }
        }
        groups[group].heap = CandidateHeap(entries)
        groups[group].built = true
        groups[group].seenCharges = chargeLog.count
    }

    /// Re-scores, once each, the agents charged since this group last looked.
    private mutating func refresh(_ group: Int, _ pod: PodRequest) {
        let start = groups[group].seenCharges
        guard start < chargeLog.count else { return }
        let controller = groups[group].controller
        var done = Set<Int>()
        for slot in chargeLog[start...] where done.insert(slot).inserted {
            for offer in offersOfSlot[slot] {
                if let score = evaluate(pod, offer, controller: controller) {
                    groups[group].heap.push(.init(score: score, offer: Int32(offer), version: slotVersion[slot]))
                }
                if groups[group].offerReasons != nil { reexplain(group, pod, offer) }
            }
        }
        groups[group].seenCharges = chargeLog.count
        groups[group].lastReason = nil
    }

    private mutating func charge(_ offer: Int, _ pod: PodRequest, controller: Int?) {
        let roomBefore = roomFor != nil && hasRoom(offer)
        freeCpus[offer] = freeCpus[offer] - pod.cpuQuantity
        freeMem[offer] = freeMem[offer] - pod.memQuantity
        if roomBefore, !hasRoom(offer) { offersWithRoom -= 1 }
        used[offer] = true
        let slot = agentSlot[offer]
        if let controller { replicaCounts[controller][slot, default: 0] += 1 }
        podsPerSlot[slot] += 1
        slotVersion[slot] &+= 1
        chargeLog.append(slot)
    }
}
