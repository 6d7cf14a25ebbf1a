extension PodTracker {
    /// Places as many pending pods as fit on these offers — several per offer — and declines the
    /// rest. Pods that fit nowhere get `PodScheduled=False` with the reason counted per agent.
    public mutating func offers(_ offers: [AgentOffer], now: Double) -> [PodAction] {
        patience.saw(offers, now: now)
        if !offers.isEmpty { awaitingFirstOffers = false }
        guard !queue.isEmpty else {
            var actions: [PodAction] = []
            if !offers.isEmpty {
                actions.append(.decline(offerIDs: offers.map(\.offerID), refuseSeconds: options.idleRefuseSeconds))
            }
            return actions + demandActions()
        }
        let smallest = queue.smallest
        var result = placer.place(oldestFirst: queue.oldestFirst(), offers: offers, now: now, smallest: smallest)
        let held = holdForSpreading(&result, offers: offers, now: now)
        var actions: [PodAction] = []
        var byOffer: [String: (agentID: String, uids: [String])] = [:]
        var offerOrder: [String] = []
        let hostnames = Dictionary(offers.map { ($0.agentID, $0.hostname) }, uniquingKeysWith: { first, _ in first })
        for assignment in result.assignments {
            if byOffer[assignment.offerID] == nil { offerOrder.append(assignment.offerID) }
            byOffer[assignment.offerID, default: (assignment.agentID, [])].uids.append(assignment.podUID)
            queue.remove(uid: assignment.podUID)
            guard var pod = pods[assignment.podUID] else { continue }
            let hostname = hostnames[assignment.agentID] ?? assignment.agentID
            pod.agentID = assignment.agentID
            pod.unschedulableMessage = nil
            pod.status.nodeName = hostname
            pod.status.startTime = now
            pod.status.setCondition("PodScheduled", true, now: now)
            pod.status.containers = pod.definition.containers.map {
                ContainerStatusView(name: $0, state: .waiting(reason: "ContainerCreating"))
            }
            pod.status.refresh(now: now)
            pods[assignment.podUID] = pod
            let request = pod.definition.request
            actions.append(.event(podUID: assignment.podUID, warning: false, reason: "Scheduled",
                                  message: "Successfully assigned \(request.namespace)/\(request.name) to \(hostname)"))
            actions.append(.status(podUID: assignment.podUID, pod.status))
        }
        for offerID in offerOrder {
            guard let entry = byOffer[offerID] else { continue }
            actions.append(.launch(offerID: offerID, agentID: entry.agentID, podUIDs: entry.uids,
                                   refuseSeconds: held.agents.contains(entry.agentID) ? options.busyRefuseSeconds : 0))
        }
        // Pods these offers did not take are not judged here: offers are sized to part of the queue
        // by design, and a verdict per pass would churn; `tick` judges against every agent's best.
        if !result.unusedOffers.isEmpty {
            let refuse = queue.isEmpty ? options.idleRefuseSeconds : options.busyRefuseSeconds
            actions.append(.decline(offerIDs: result.unusedOffers, refuseSeconds: refuse))
        }
        return actions + demandActions()
    }

    /// A launch did not reach the master (the offer was rescinded, say): the pods wait again.
    public mutating func launchFailed(podUIDs: [String], reason: String, now: Double) -> [PodAction] {
        var actions: [PodAction] = []
        for uid in podUIDs {
            guard var pod = pods[uid] else { continue }
            placer.state.remove(podUID: uid)
            pod.agentID = nil
            pod.status = PodStatusView()
            pod.status.containers = pod.definition.containers.map { ContainerStatusView(name: $0, state: .waiting(reason: "Pending")) }
            pod.status.setCondition("PodScheduled", false, reason: "LaunchFailed", message: reason, now: now)
            pods[uid] = pod
            queue.add(pod.definition.request)
            actions.append(.status(podUID: uid, pod.status))
        }
        return actions + demandActions()
    }
}

extension PodTracker {
    /// Takes back assignments that would crowd a controller's replicas on one agent while another
    /// agent seen recently could take them (see `SpreadPatience`); returns the pods held and the
    /// agents whose leftovers should be refused for a moment.
    mutating func holdForSpreading(_ result: inout PlacementResult, offers: [AgentOffer], now: Double)
        -> (pods: [String], agents: Set<String>) {
        // A controller's live replicas: those waiting and those placed, where this pass's
        // assignments are counted twice (still queued, already recorded by the placer).
        var totals: [String: Int] = [:]
        for assignment in result.assignments {
            guard let key = pods[assignment.podUID]?.definition.request.controllerKey else { continue }
            totals[key, default: queue.count(ofController: key) + placer.state.replicas(of: key)] -= 1
        }
        let live = patience.liveAgents(now: now)
        var kept: [PodAssignment] = []
        var heldPods: [String] = []
        var heldAgents: Set<String> = []
        // The newest replicas are the ones held back.
        for assignment in result.assignments.reversed() {
            guard let request = pods[assignment.podUID]?.definition.request, let key = request.controllerKey else {
                kept.append(assignment)
                continue
            }
            let there = placer.state.replicas(of: key, on: assignment.agentID)
            let hold = patience.shouldHold(request, on: assignment.agentID, replicasThere: there, total: max(1, totals[key] ?? 1),
                                           live: live, replicasOn: { placer.state.replicas(of: key, on: $0) }, now: now)
            if hold {
                placer.state.remove(podUID: assignment.podUID)
                heldPods.append(assignment.podUID)
                heldAgents.insert(assignment.agentID)
            } else {
                patience.placed(assignment.podUID)
                kept.append(assignment)
            }
        }
        result.assignments = kept.reversed()
        if !heldPods.isEmpty {
            let used = Set(kept.map(\.offerID))
            result.unusedOffers = offers.map(\.offerID).filter { !used.contains($0) }
        }
        return (heldPods, heldAgents)
    }
}

extension PodTracker {
    /// `PodScheduled=False` and a FailedScheduling event for pods that fit nowhere, once per reason.
    mutating func unschedulable(_ unplaced: [String: UnschedulableReason], now: Double) -> [PodAction] {
        var actions: [PodAction] = []
        for (uid, reason) in unplaced.sorted(by: { $0.key < $1.key }) {
            guard var pod = pods[uid] else { continue }
            let message = reason.message
            pod.status.setCondition("PodScheduled", false, reason: "Unschedulable", message: message, now: now)
            if pod.unschedulableMessage != message {
                pod.unschedulableMessage = message
                actions.append(.event(podUID: uid, warning: true, reason: "FailedScheduling", message: message))
                actions.append(.status(podUID: uid, pod.status))
            }
            pods[uid] = pod
        }
        return actions
    }

    /// Called now and then: a pod the master makes no offer for (its declared shape fits no agent's
    /// free resources, so no offer is sized for it) is checked against the most each known agent has
    /// offered, so it still says why it waits.
    public mutating func tick(now: Double, patience wait: Double = 2) -> [PodAction] {
        let waiting = queue.pods.filter { now - $0.createdAt >= wait && pods[$0.uid]?.unschedulableMessage == nil }
        let best = patience.bestOffers(now: now)
        guard !waiting.isEmpty, !best.isEmpty else { return [] }
        var probe = placer
        let result = probe.place(pending: waiting, offers: best, now: now)
        return unschedulable(result.unplaced, now: now)
    }
}
