extension PodTracker {
    /// Places as many pending pods as fit on these offers — several per offer — and declines the
    /// rest. Pods that fit nowhere get `PodScheduled=False` with the reason counted per agent.
    public mutating func offers(_ offers: [AgentOffer], now: Double) -> [PodAction] {
        guard !queue.isEmpty else {
            var actions: [PodAction] = []
            if !offers.isEmpty {
                actions.append(.decline(offerIDs: offers.map(\.offerID), refuseSeconds: options.idleRefuseSeconds))
            }
            return actions + demandActions()
        }
        let result = placer.place(pending: queue.pods, offers: offers, now: now)
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
            actions.append(.launch(offerID: offerID, agentID: entry.agentID, podUIDs: entry.uids))
        }
        for (uid, reason) in result.unplaced.sorted(by: { $0.key < $1.key }) {
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
