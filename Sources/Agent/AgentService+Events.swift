import FairwayCore
import FairwayProto
import Glibc

/// What the agent does with each event from the master.
extension AgentService {
    /// Handles one event. Throws only to end the stream (after SHUTDOWN).
    public func handle(_ event: Fairway_Internal_AgentEvent) async throws {
        lastEventTime = Self.now()
        switch event.type {
        case .registered:
            registered(event.registered)
        case .runTasks:
            runTasks(event.runTasks.runs)
        case .killTask:
            let kill = event.killTask
            killTask(TaskKey(frameworkID: kill.frameworkID.value, taskID: kill.taskID.value),
                     policy: kill.hasKillPolicy ? kill.killPolicy : nil)
        case .acknowledge:
            acknowledge(event.acknowledgements)
        case .shutdownFramework:
            shutdownFramework(event.shutdownFramework.frameworkID.value)
        case .resendUpdates:
            let frameworkID = event.resendUpdates.hasFrameworkID ? event.resendUpdates.frameworkID.value : nil
            queue.markForResend(frameworkID: frameworkID)
            scheduleFlush()
        case .heartbeat:
            break
        case .shutdown:
            forgetEverything(event.shutdown.message)
            throw RegisterAgain()
        case .unknown:
            logger.debug("ignoring an agent event of a type this agent does not know")
        }
    }

    func registered(_ registered: Fairway_Internal_AgentEvent.Registered) {
        let previous = state.agentID
        state.agentID = registered.agentID.value
        state.masterID = registered.masterInfo.id
        pendingChanges.append(.setMeta(Checkpoint.agentIDKey, registered.agentID.value))
        pendingChanges.append(.setMeta(Checkpoint.masterIDKey, registered.masterInfo.id))
        commit()
        streamID = registered.streamID
        heartbeatInterval = registered.hasHeartbeatIntervalSeconds ? registered.heartbeatIntervalSeconds : nil
        registrationCount += 1
        queue.markForResend()
        logger.info("\(previous == nil ? "registered" : "re-registered") with master \(registered.masterInfo.id) as agent \(registered.agentID.value); \(state.tasks.count) task(s), \(queue.count) unacknowledged update(s)")
        scheduleFlush()
    }

    func acknowledge(_ acknowledgements: [Fairway_Internal_AgentEvent.Acknowledge]) {
        var released: [Int64] = []
        for ack in acknowledgements {
            let key = TaskKey(frameworkID: ack.frameworkID.value, taskID: ack.taskID.value)
            switch queue.acknowledge(key, uuid: ack.uuid) {
            case .released(let sequence, let remaining):
                released.append(sequence)
                if remaining == 0, let task = state.task(key), task.state.isTerminal {
                    state.complete(key)
                    pendingChanges.append(.deleteTask(key))
                }
            case .mismatch:
                logger.debug("ignoring an acknowledgement for task \(key) that is not for its oldest pending update")
            case .unknownTask:
                logger.debug("ignoring an acknowledgement for task \(key), which has no pending update")
            }
        }
        if !released.isEmpty { pendingChanges.append(.deleteUpdates(released)) }
        if queue.hasReady { scheduleFlush() }
    }

    /// The framework is gone: kill its tasks and drop what the agent owed it.
    func shutdownFramework(_ frameworkID: String) {
        let tasks = state.tasks.values.filter { $0.key.frameworkID == frameworkID }
        logger.info("shutting down framework \(frameworkID): killing \(tasks.filter { !$0.state.isTerminal }.count) task(s)")
        for task in tasks {
            pods.stopProbes(task.key)
            pods.restartTimers.removeValue(forKey: task.key)?.cancel()
            pods.runs[task.key] = nil
        }
        let podNetworks = pods.groups.values.filter { $0.key.frameworkID == frameworkID }
        for task in tasks where !task.state.isTerminal {
            state.update(task.key) {
                $0.state = .taskKilled
                $0.killRequested = true
            }
            signalWithGrace(task, grace: options.defaultGracePeriod)
        }
        _ = state.removeFramework(frameworkID)
        queue.removeFramework(frameworkID)
        pendingChanges.append(.deleteFramework(frameworkID))
        commit()
        releasePodNetworksWhenStopped(Array(podNetworks), containers: tasks.map(\.containerID))
    }

    /// SHUTDOWN from the master: it does not accept this agent. Kill everything, forget the id and
    /// the updates, and register again as a new agent.
    func forgetEverything(_ message: String) {
        let running = state.tasks.values.filter { !$0.state.isTerminal }
        logger.warning("the master shut this agent down (\(message.isEmpty ? "no reason given" : message)); killing \(running.count) task(s) and registering as a new agent")
        for task in running { runtime?.signal(containerID: task.containerID, SIGKILL, wholeContainer: true) }
        for timer in killTimers.values { timer.cancel() }
        killTimers = [:]
        let podNetworks = Array(pods.groups.values)
        pods.cancelAll()
        pods = PodBook()
        releasePodNetworksWhenStopped(podNetworks, containers: running.map(\.containerID))
        state.reset()
        queue.removeAll()
        pendingChanges = [.clearAll]
        commit()
        streamID = nil
    }
}
