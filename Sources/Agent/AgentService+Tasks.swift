import FairwayCore
import FairwayProto
import Foundation
import Glibc

/// Launching, killing and reaping tasks.
extension AgentService {
    func runTasks(_ runs: [Fairway_Internal_RunTask]) {
        var launches: [(TaskKey, ContainerSpec)] = []
        var podGroups: [(Fairway_V1_ExecutorInfo, String, [(TaskKey, ContainerSpec)])] = []
        for run in runs {
            let frameworkID = run.frameworkInfo.id.value
            guard !frameworkID.isEmpty else {
                logger.warning("ignoring a RUN_TASK without a framework id")
                continue
            }
            if state.frameworks[frameworkID] != run.frameworkInfo {
                state.addFramework(run.frameworkInfo)
                pendingChanges.append(.saveFramework(run.frameworkInfo))
            }
            if run.hasTask {
                if run.task.hasExecutor {
                    reject(run.task, frameworkID: frameworkID, state: .taskError, reason: .taskInvalid,
                           message: "Custom executors are not supported by this agent: send a command task, or use LAUNCH_GROUP")
                } else if let launch = prepare(run.task, frameworkID: frameworkID, executor: nil, executorDirectory: nil) {
                    launches.append(launch)
                }
            } else if run.hasTaskGroup {
                guard run.hasExecutor else {
                    for task in run.taskGroup.tasks {
                        reject(task, frameworkID: frameworkID, state: .taskError, reason: .taskGroupInvalid,
                               message: "A task group needs an executor")
                    }
                    continue
                }
                let directory: String
                do {
                    directory = try sandboxes.executorDirectory(frameworkID: frameworkID, executorID: run.executor.executorID.value)
                } catch {
                    for task in run.taskGroup.tasks {
                        reject(task, frameworkID: frameworkID, state: .taskFailed, reason: .containerLaunchFailed,
                               message: "Failed to launch the task: \(error)")
                    }
                    continue
                }
                // Each member runs as its own process with its own sandbox and cgroups. The members
                // of a pod (the executor asks for the network `fairway-pods`) share one network
                // namespace, set up before the first of them starts (`startPodGroup`).
                let isPod = Self.wantsPodNetwork(run.executor)
                var members: [(TaskKey, ContainerSpec)] = []
                for task in run.taskGroup.tasks {
                    if let launch = prepare(task, frameworkID: frameworkID, executor: run.executor, executorDirectory: directory) {
                        members.append(launch)
                    }
                }
                if isPod {
                    if !members.isEmpty { podGroups.append((run.executor, frameworkID, members)) }
                } else {
                    launches += members
                }
            } else {
                logger.warning("ignoring a RUN_TASK of framework \(frameworkID) with neither a task nor a task group")
            }
        }
        // The tasks are on disk before their processes exist, so a crash cannot orphan a process.
        commit()
        launch(launches)
        for (executor, frameworkID, members) in podGroups {
            Task { await self.startPodGroup(executor, frameworkID: frameworkID, launches: members) }
        }
    }

    /// Validates a task, creates its sandbox and its record; returns what to launch, or nil after
    /// queueing the update that says why not.
    func prepare(_ info: Fairway_V1_TaskInfo, frameworkID: String, executor: Fairway_V1_ExecutorInfo?,
                 executorDirectory: String?) -> (TaskKey, ContainerSpec)? {
        let key = TaskKey(frameworkID: frameworkID, taskID: info.taskID.value)
        guard !key.taskID.isEmpty else {
            logger.warning("ignoring a task without a task id from framework \(frameworkID)")
            return nil
        }
        if let existing = state.task(key) {
            logger.warning("ignoring a second launch of task \(key), which is \(existing.state.name) here")
            return nil
        }
        let command: TaskCommand
        switch TaskCommand.from(info.command) {
        case .success(let value):
            command = value
        case .failure(let error):
            reject(info, frameworkID: frameworkID, state: .taskError, reason: .taskInvalid, message: "Invalid task: \(error)")
            return nil
        }
        let resources: Resources
        do {
            resources = try Resources(proto: info.resources)
        } catch {
            reject(info, frameworkID: frameworkID, state: .taskError, reason: .taskInvalid, message: "Invalid task resources: \(error)")
            return nil
        }
        let sandbox: String
        do {
            if let executorDirectory {
                sandbox = try sandboxes.createForGroupTask(executorDirectory: executorDirectory, taskID: key.taskID)
            } else {
                sandbox = try sandboxes.createForTask(frameworkID: frameworkID, taskID: key.taskID)
            }
        } catch {
            reject(info, frameworkID: frameworkID, state: .taskFailed, reason: .containerLaunchFailed,
                   message: "Failed to launch the task: \(error)")
            return nil
        }
        let task = AgentTask(key: key, info: info, executor: executor, state: .taskStaging, sandbox: sandbox,
                             executorDirectory: executorDirectory, containerID: UUID().uuidString.lowercased())
        state.add(task)
        pendingChanges.append(.saveTask(task))
        return (key, containerSpec(for: task, command: command, resources: resources))
    }

    /// What to start for a task's container (a pod's network prefix is added once it exists).
    func containerSpec(for task: AgentTask, command: TaskCommand, resources: Resources) -> ContainerSpec {
        let cpus = resources.scalar("cpus")
        let memory = resources.scalar("mem")
        return ContainerSpec(containerID: task.containerID, sandbox: task.sandbox, command: command,
                             environment: environment(for: task), cpus: cpus > 0 ? cpus : nil,
                             memoryMB: memory > 0 ? memory : nil, groupID: task.executor?.executorID.value,
                             stderrFile: task.stderrFile,
                             podHostname: task.executor.flatMap { $0.container.hostname.isEmpty ? nil : $0.container.hostname })
    }

    /// The spec of a task's next run (a restart), in its pod's namespace when it has one.
    func containerSpec(for task: AgentTask) -> Result<ContainerSpec, AgentError> {
        let command: TaskCommand
        switch TaskCommand.from(task.info.command) {
        case .success(let value): command = value
        case .failure(let error): return .failure(error)
        }
        guard let resources = try? Resources(proto: task.info.resources) else {
            return .failure(AgentError("the task's resources cannot be read"))
        }
        var spec = containerSpec(for: task, command: command, resources: resources)
        if let executor = task.executor,
           let group = pods.groups[ExecutorKey(frameworkID: task.key.frameworkID, executorID: executor.executorID.value)] {
            spec = spec.joining(group, isolator: podIsolator)
        }
        return .success(spec)
    }

    /// Starts the containers; the pids come back as `processStarted`, failures are reported now.
    func launch(_ launches: [(TaskKey, ContainerSpec)]) {
        guard let runtime, !launches.isEmpty else { return }
        let failures = runtime.launch(launches.map(\.1))
        for (key, spec) in launches {
            guard let error = failures[spec.containerID], let task = state.task(key) else { continue }
            logger.warning("task \(key) failed to launch: \(error)")
            fail(task, state: .taskFailed, reason: .containerLaunchFailed, message: "Failed to launch the task: \(error)")
        }
    }

    /// A container's process exists: the task is RUNNING. A container whose task is gone or
    /// already terminal (killed while it was being started) is killed.
    func processStarted(_ containerID: String, pid: Int32, startTime: UInt64?) {
        guard let task = state.task(containerID: containerID), !task.state.isTerminal else {
            runtime?.signal(containerID: containerID, SIGKILL, wholeContainer: true)
            return
        }
        guard task.pid != pid else { return }  // taken over after an agent restart: known already
        let wasStaging = task.state == .taskStaging
        guard let running = state.update(task.key, {
            $0.pid = pid
            $0.startTime = startTime
            if wasStaging { $0.state = .taskRunning }
        }) else { return }
        pendingChanges.append(.saveTask(running))
        containerStarted(running, firstRun: wasStaging)
        guard wasStaging else { return }
        enqueue(StatusUpdateFactory.make(task: task.key, state: .taskRunning, agentID: state.agentID, executorID: running.executorID,
                                         source: .executor, message: hostNetworkMessage(for: running), pid: pid, now: Self.now()),
                for: task.key)
    }

    /// The environment of a task: its own variables, then the Mesos ones, which win.
    func environment(for task: AgentTask) -> [String: String] {
        var environment: [String: String] = [
            "PATH": taskPath,
            "HOME": task.sandbox,
        ]
        for variable in task.info.command.environment.variables where variable.type != .secret {
            environment[variable.name] = variable.value
        }
        environment["MESOS_SANDBOX"] = task.sandbox
        environment["MESOS_DIRECTORY"] = task.sandbox
        environment["MESOS_TASK_ID"] = task.key.taskID
        environment["MESOS_FRAMEWORK_ID"] = task.key.frameworkID
        environment["MESOS_AGENT_ID"] = state.agentID ?? task.info.agentID.value
        environment["MESOS_EXECUTOR_ID"] = task.executorID
        return environment
    }

    /// A task that never ran: an update without a process.
    func reject(_ info: Fairway_V1_TaskInfo, frameworkID: String, state taskState: Fairway_V1_TaskState,
                reason: Fairway_V1_TaskStatus.Reason, message: String) {
        let key = TaskKey(frameworkID: frameworkID, taskID: info.taskID.value)
        logger.warning("task \(key): \(message)")
        enqueue(StatusUpdateFactory.make(task: key, state: taskState, agentID: state.agentID, executorID: nil,
                                         source: .agent, reason: reason, message: message, now: Self.now()), for: key)
    }

    /// Marks a task terminal without a process exit (its launch failed).
    func fail(_ task: AgentTask, state taskState: Fairway_V1_TaskState, reason: Fairway_V1_TaskStatus.Reason, message: String) {
        guard let failed = state.update(task.key, { $0.state = taskState }) else { return }
        pendingChanges.append(.saveTask(failed))
        enqueue(StatusUpdateFactory.make(task: task.key, state: taskState, agentID: state.agentID, executorID: task.executorID,
                                         source: .agent, reason: reason, message: message, now: Self.now()), for: task.key)
        taskEnded(failed)
    }

    func killTask(_ key: TaskKey, policy: Fairway_V1_KillPolicy?) {
        guard let task = state.task(key) else {
            guard state.completedTask(key) == nil else { return }
            let partitionAware = state.frameworks[key.frameworkID]?.capabilities.contains { $0.type == .partitionAware } ?? false
            logger.info("kill of unknown task \(key): reporting it \(partitionAware ? "dropped" : "lost")")
            enqueue(StatusUpdateFactory.make(task: key, state: partitionAware ? .taskDropped : .taskLost, agentID: state.agentID,
                                             executorID: nil, source: .agent, reason: .executorTerminated,
                                             message: "Cannot find the task on this agent", now: Self.now()), for: key)
            return
        }
        guard !task.state.isTerminal, !task.killRequested else { return }
        let killingState = state.frameworks[key.frameworkID]?.capabilities.contains { $0.type == .taskKillingState } ?? false
        guard let killing = state.update(key, {
            $0.killRequested = true
            if killingState { $0.state = .taskKilling }
        }) else { return }
        pendingChanges.append(.saveTask(killing))
        if killingState {
            enqueue(StatusUpdateFactory.make(task: key, state: .taskKilling, agentID: state.agentID, executorID: task.executorID,
                                             source: .executor, pid: task.pid, now: Self.now()), for: key)
        }
        guard task.pid != nil else {
            if endWaitingRestart(killing) { return }
            // Still being started: its process is killed as soon as its pid is known.
            runtime?.signal(containerID: task.containerID, SIGKILL, wholeContainer: true)
            fail(killing, state: .taskKilled, reason: .taskKilledDuringLaunch, message: "Task killed before it started")
            return
        }
        let duration = policy?.hasGracePeriod == true ? policy?.gracePeriod : (task.info.killPolicy.hasGracePeriod ? task.info.killPolicy.gracePeriod : nil)
        let grace = duration.map { Double($0.nanoseconds) / 1e9 } ?? options.defaultGracePeriod
        logger.info("killing task \(key) (SIGTERM, then SIGKILL after \(grace) s)")
        signalWithGrace(task, grace: grace)
    }

    /// SIGTERM to the task's process group now, SIGKILL to the whole container after `grace`.
    func signalWithGrace(_ task: AgentTask, grace: Double) {
        guard let runtime else { return }
        let containerID = task.containerID
        guard grace > 0 else {
            runtime.signal(containerID: containerID, SIGKILL, wholeContainer: true)
            return
        }
        runtime.signal(containerID: containerID, SIGTERM)
        killTimers[task.key]?.cancel()
        killTimers[task.key] = Task { [logger] in
            try? await Task.sleep(for: .seconds(grace))
            guard !Task.isCancelled, runtime.isRunning(containerID: containerID) else { return }
            logger.info("task \(task.key) outlived its \(grace) s grace period: SIGKILL")
            runtime.signal(containerID: containerID, SIGKILL, wholeContainer: true)
        }
    }

    func processExited(_ exit: ContainerExit) {
        guard let task = state.task(containerID: exit.containerID), !task.state.isTerminal else {
            if exit.reportedByService { runtime?.acknowledgeExits([exit.containerID]) }
            return
        }
        killTimers.removeValue(forKey: task.key)?.cancel()
        pods.stopProbes(task.key)
        let memory = (try? Resources(proto: task.info.resources))?.scalar("mem")
        var outcome = TaskOutcome.classify(exit: exit.exit, killRequested: task.killRequested,
                                           memoryLimitHit: exit.memoryLimitHit, launchError: exit.launchError,
                                           memoryLimitMB: (memory ?? 0) > 0 ? memory : nil,
                                           unknownExitReason: exit.unknownExitReason)
        if outcome.state == .taskFailed, outcome.source == .executor,
           let line = StderrTail.lastLine(ofFile: task.sandbox + "/" + task.stderrFile) {
            outcome.message += ": " + line
        }
        if restartAfterExit(task, exit: exit, outcome: &outcome) { return }
        guard let ended = state.update(task.key, { $0.state = outcome.state }) else { return }
        pendingChanges.append(.saveTask(ended))
        // The service forgets the exit once the checkpoint has the outcome (see `commit`).
        if exit.reportedByService { serviceAcks.append(exit.containerID) }
        logger.debug("task \(task.key) \(outcome.state.name): \(outcome.message)")
        enqueue(StatusUpdateFactory.make(task: ended, outcome: outcome, agentID: state.agentID, now: Self.now()), for: task.key)
        taskEnded(ended)
    }
}
