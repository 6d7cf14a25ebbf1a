import Glibc
import PodNetwork

/// Recovery after an agent restart: everything checkpointed comes back. Tasks the launcher service
/// still runs, or saw end, are taken over from it with their real exit status. Other task
/// processes that are still alive are adopted (watched through pidfds; their exit status is then
/// unknown, see `ProcessExit.unknown`) and those that ended meanwhile are reported failed. Cgroups
/// left by tasks the agent no longer knows are emptied and removed.
extension AgentService {
    /// Returns the pod namespaces to keep (pod id → IP) for `recoverPodNamespaces`.
    func recover(_ runtime: ContainerRuntime) throws(AgentError) -> [String: IPv4Address] {
        let snapshot = try checkpoint.load()
        state.agentID = snapshot.agentID
        state.masterID = snapshot.masterID
        for framework in snapshot.frameworks { state.addFramework(framework) }
        for task in snapshot.tasks { state.add(task) }
        queue = StatusUpdateQueue(restoring: snapshot.updates, initialRetryInterval: options.initialRetryInterval,
                                  maximumRetryInterval: options.maximumRetryInterval)
        restorePodNetworks(snapshot.podNetworks)
        let unfinished = snapshot.tasks.filter { !$0.state.isTerminal }
        let fromService = runtime.reattachServiceContainers(
            Dictionary(unfinished.map { ($0.containerID, $0.sandbox) }, uniquingKeysWith: { first, _ in first }))
        var adopted: Set<String> = []
        for task in unfinished {
            if fromService.contains(task.containerID) {
                adopted.insert(task.containerID)
                if task.killRequested { runtime.signal(containerID: task.containerID, SIGKILL, wholeContainer: true) }
                containerStarted(task, firstRun: true)
            } else if let pid = task.pid {
                adopted.insert(task.containerID)
                runtime.adopt(containerID: task.containerID, pid: pid, startTime: task.startTime, sandbox: task.sandbox)
                if task.killRequested { runtime.signal(containerID: task.containerID, SIGKILL, wholeContainer: true) }
                containerStarted(task, firstRun: true)
            } else if wasWaitingToRestart(task) {
                scheduleRestart(task.key, after: RestartBackoff.initialDelay)
            } else {
                fail(task, state: .taskFailed, reason: .containerLaunchFailed,
                     message: "Failed to launch the task: the agent restarted while launching it")
            }
        }
        runtime.removeStaleCgroups(keeping: adopted)
        commit()
        if snapshot.agentID != nil || !snapshot.tasks.isEmpty {
            logger.info("recovered agent \(snapshot.agentID ?? "(no id yet)") from \(checkpoint.path): \(snapshot.tasks.count) task(s), \(adopted.count) still running, \(snapshot.updates.count) unacknowledged update(s)")
        }
        return podNamespacesToKeep()
    }
}
