import PodNetwork

/// Pods across an agent restart: the networks of pods with a task still running are kept (their
/// IPs from the checkpoint stay taken), the others are forgotten and their namespaces removed,
/// with any namespace of this agent that the checkpoint does not know. Tasks that were waiting to
/// restart are restarted; probes of the tasks still running start again.
extension AgentService {
    /// Takes back the checkpointed pod networks that still have an unfinished task (before the
    /// tasks are adopted: restarts and probes need them); the others are forgotten.
    func restorePodNetworks(_ groups: [PodGroupNetwork]) {
        for group in groups {
            let unfinished = state.tasks.values.contains {
                $0.key.frameworkID == group.key.frameworkID && $0.executor?.executorID.value == group.key.executorID
                    && !$0.state.isTerminal
            }
            if unfinished {
                pods.groups[group.key] = group
            } else {
                pendingChanges.append(.deletePodNetwork(group.key))
            }
        }
    }

    /// The namespaces to keep (pod id → IP) once recovery has ended the tasks it could not adopt.
    func podNamespacesToKeep() -> [String: IPv4Address] {
        var keep: [String: IPv4Address] = [:]
        for group in pods.groups.values where group.isolated {
            if let ip = IPv4Address(group.ip) { keep[group.podID] = ip }
        }
        return keep
    }

    /// Whether a recovered task without a process was waiting out a restart back-off (it is
    /// restarted rather than failed).
    func wasWaitingToRestart(_ task: AgentTask) -> Bool {
        task.pid == nil && task.state == .taskRunning && !task.killRequested && RestartPolicy(task: task.info) != nil
    }

    /// Removes the namespaces of pods that no longer run and marks the kept pods' IPs as taken.
    /// Runs after the checkpoint is recovered, before the first pod can arrive.
    func recoverPodNamespaces(keep: [String: IPv4Address]) async {
        await podIsolator.recover(agentID: state.agentID, keep: keep)
    }
}
