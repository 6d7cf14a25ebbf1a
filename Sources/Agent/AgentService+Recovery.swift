import Glibc

/// Recovery after an agent restart: everything checkpointed comes back; task processes that are
/// still alive are adopted (watched through pidfds; their exit status is then unknown, see
/// `ProcessExit.unknown`); processes that ended meanwhile are reported failed; cgroups left by
/// tasks the agent no longer knows are emptied and removed.
extension AgentService {
    func recover(_ runtime: ContainerRuntime) throws(AgentError) {
        let snapshot = try checkpoint.load()
        state.agentID = snapshot.agentID
        state.masterID = snapshot.masterID
        for framework in snapshot.frameworks { state.addFramework(framework) }
        for task in snapshot.tasks { state.add(task) }
        queue = StatusUpdateQueue(restoring: snapshot.updates, initialRetryInterval: options.initialRetryInterval,
                                  maximumRetryInterval: options.maximumRetryInterval)
        var adopted: Set<String> = []
        for task in snapshot.tasks where !task.state.isTerminal {
            if let pid = task.pid {
                adopted.insert(task.containerID)
                runtime.adopt(containerID: task.containerID, pid: pid, startTime: task.startTime, sandbox: task.sandbox)
                if task.killRequested { runtime.signal(containerID: task.containerID, SIGKILL, wholeContainer: true) }
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
    }
}
