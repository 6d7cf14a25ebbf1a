import FairwayProto

/// What the status updates of pod tasks carry beyond a plain task's: the pod IP, the host-network
/// note, restart labels and the latest probe verdicts.
extension AgentService {
    /// Adds what a pod task's updates carry: the pod IP as `container_status.network_infos`, the
    /// host-network note, restart labels, and on TASK_RUNNING the latest health and check status.
    func decorate(_ update: inout Fairway_Internal_StatusUpdate, for key: TaskKey) {
        guard let task = state.task(key) else { return }
        var labels: [(String, String)] = []
        if let executor = task.executor,
           let group = pods.groups[ExecutorKey(frameworkID: key.frameworkID, executorID: executor.executorID.value)] {
            var address = Fairway_V1_NetworkInfo.IPAddress()
            address.ipAddress = group.ip
            var network = Fairway_V1_NetworkInfo()
            network.name = PodNetworkIsolator.networkName
            network.ipAddresses = [address]
            update.status.containerStatus.networkInfos = [network]
            if let note = group.hostNote { labels.append((PodGroupNetwork.networkLabel, note)) }
        }
        if RestartPolicy(task: task.info) != nil {
            if task.restarts > 0 { labels.append((RestartLabels.restarts, "\(task.restarts)")) }
            if let code = task.lastExitCode {
                labels.append((update.status.state.isTerminal ? RestartLabels.exitCode : RestartLabels.lastExitCode, "\(code)"))
            }
        }
        if update.status.state == .taskRunning, let run = pods.runs[key] {
            if let healthy = run.healthy { update.status.healthy = healthy }
            if let check = run.checkStatus { update.status.checkStatus = check }
        }
        guard !labels.isEmpty else { return }
        let keys = Set(labels.map(\.0))
        update.status.labels.labels.removeAll { keys.contains($0.key) }
        for (name, value) in labels {
            var label = Fairway_V1_Label()
            label.key = name
            label.value = value
            update.status.labels.labels.append(label)
        }
    }

    /// For the first container of a host-network pod to start: the message that says so.
    func hostNetworkMessage(for task: AgentTask) -> String? {
        guard let executor = task.executor else { return nil }
        let key = ExecutorKey(frameworkID: task.key.frameworkID, executorID: executor.executorID.value)
        guard let group = pods.groups[key], !group.isolated, !pods.hostNoteSent.contains(key) else { return nil }
        pods.hostNoteSent.insert(key)
        return "Running on the host network (\(PodGroupNetwork.networkLabel): \(group.hostNote ?? "host"))"
    }
}
