extension PodTracker {
    /// A container's status update. Unknown tasks return no actions (the shell decides whether to
    /// kill them). When the pod ends, what still runs of it is killed.
    public mutating func update(_ update: ContainerUpdate, now: Double) -> [PodAction] {
        guard let (uid, name) = PodTaskID.parse(update.taskID), var pod = pods[uid],
              let index = pod.status.containers.firstIndex(where: { $0.name == name }) else { return [] }
        if pod.agentID == nil { pod.agentID = update.agentID }
        let before = pod.status
        var container = pod.status.containers[index]
        var actions: [PodAction] = []
        if let restarts = update.restartCount, restarts > container.restartCount {
            container.restartCount = restarts
            if let last = update.lastTermination { container.lastTermination = last }
        }
        if let ip = update.podIP, !ip.isEmpty { pod.status.podIP = ip }
        let startedAt: Double? = if case .running(let at) = container.state { at } else { nil }
        switch update.kind {
        case .starting:
            if container.state.termination == nil, !container.state.isRunning {
                container.state = .waiting(reason: "ContainerCreating")
            }
        case .running:
            if !container.state.isRunning { container.state = .running(startedAt: now) }
            let probed = pod.definition.probedContainers.contains(name)
            container.ready = probed ? (update.ready ?? false) : true
        case .finished:
            container.state = .terminated(ContainerTermination(exitCode: update.exitCode ?? 0, reason: "Completed",
                                                               message: update.message, startedAt: startedAt, finishedAt: now))
            container.ready = false
        case .failed:
            let reason = update.memoryLimitHit ? "OOMKilled" : "Error"
            container.state = .terminated(ContainerTermination(exitCode: update.exitCode ?? 1, reason: reason,
                                                               message: update.message, startedAt: startedAt, finishedAt: now))
            container.ready = false
        case .killed:
            container.state = .terminated(ContainerTermination(exitCode: update.exitCode ?? 137, reason: "Killed",
                                                               message: update.message, startedAt: startedAt, finishedAt: now))
            container.ready = false
        case .error:
            container.state = .terminated(ContainerTermination(exitCode: 128, reason: "ContainerCannotRun",
                                                               message: update.message, finishedAt: now))
            container.ready = false
            actions.append(.event(podUID: uid, warning: true, reason: "Failed",
                                  message: "Error: container \(name) could not start: \(update.message ?? "no reason given")"))
        case .lost:
            pod.status.reason = "NodeLost"
            pod.status.message = update.message ?? "The agent running this pod was lost"
            pod.status.phase = .failed
            container.state = .terminated(ContainerTermination(exitCode: 137, reason: "NodeLost", message: update.message,
                                                               startedAt: startedAt, finishedAt: now))
            container.ready = false
        }
        let wasRunning = before.containers[index].state.isRunning
        pod.status.containers[index] = container
        pod.status.refresh(now: now)
        if container.state.isRunning, !wasRunning {
            actions.append(.event(podUID: uid, warning: false, reason: "Started", message: "Started container \(name)"))
        }
        if pod.status.phase.isTerminal, !before.phase.isTerminal {
            placer.state.remove(podUID: uid)
            if let agent = pod.agentID {
                let live = pod.liveTaskIDs
                if !live.isEmpty { actions.append(.kill(taskIDs: live, agentID: agent)) }
            }
        }
        pods[uid] = pod
        if pod.status != before { actions.append(.status(podUID: uid, pod.status)) }
        return actions
    }

    /// Every pod on a lost agent fails with `NodeLost`; a replication controller replaces it.
    public mutating func agentLost(_ agentID: String, now: Double) -> [PodAction] {
        var actions: [PodAction] = []
        for uid in pods.keys.sorted() {
            guard var pod = pods[uid], pod.agentID == agentID, !pod.status.phase.isTerminal else { continue }
            placer.state.remove(podUID: uid)
            pod.status.reason = "NodeLost"
            pod.status.message = "Agent \(agentID) which was running pod \(pod.definition.request.name) was lost"
            pod.status.phase = .failed
            for index in pod.status.containers.indices where pod.status.containers[index].state.termination == nil {
                pod.status.containers[index].state = .terminated(ContainerTermination(exitCode: 137, reason: "NodeLost",
                                                                                      finishedAt: now))
                pod.status.containers[index].ready = false
            }
            pod.status.refresh(now: now)
            pods[uid] = pod
            actions.append(.status(podUID: uid, pod.status))
            actions.append(.event(podUID: uid, warning: true, reason: "NodeLost", message: pod.status.message ?? ""))
        }
        return actions
    }
}
