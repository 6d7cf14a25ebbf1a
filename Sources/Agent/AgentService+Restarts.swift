import FairwayProto
import Foundation

/// Restart policies: a task labelled `fairway.pod/restart-policy` whose process ends is started
/// again (after a back-off) when its policy says so, staying TASK_RUNNING; each restart is
/// reported with the restart count and how the last run ended. A killed task is never restarted.
extension AgentService {
    /// Applies the task's restart policy to a run that ended with `outcome`. Returns true when the
    /// task restarts (its update is queued and the restart scheduled); false when the task ends,
    /// with `outcome` adjusted (a liveness kill is a failure and says so).
    func restartAfterExit(_ task: AgentTask, exit: ContainerExit, outcome: inout TaskOutcome) -> Bool {
        guard let policy = RestartPolicy(task: task.info) else { return false }
        var run = pods.runs[task.key] ?? ContainerRun()
        var restarts = run.restarts ?? ContainerRestarts(policy: policy, count: task.restarts, lastExitCode: task.lastExitCode)
        let livenessFailure = task.killRequested ? nil : run.livenessKill
        if let why = livenessFailure {
            if outcome.state == .taskFinished { outcome.state = .taskFailed }
            outcome.message = "Liveness probe failed: \(why); \(outcome.message)"
        }
        let code = exit.launchError != nil ? LauncherArguments.failureExitStatus : exit.exit.containerExitCode
        let end = ContainerRestarts.RunEnd(exitCode: code, failed: outcome.state != .taskFinished, killRequested: task.killRequested)
        let decision = restarts.ended(end, at: Self.now())
        run.restarts = restarts
        run.newRun()
        if task.info.hasCheck, case .success(let spec) = ProbeSpec.readiness(task.info.check) {
            run.checkStatus = ProbeResult.pendingStatus(spec.checkType)  // not ready until checked again
        }
        pods.runs[task.key] = run
        guard case .restart(let delay) = decision else {
            state.update(task.key) {
                $0.restarts = restarts.count
                $0.lastExitCode = code
            }
            return false
        }
        guard let waiting = state.update(task.key, {
            $0.restarts = restarts.count
            $0.lastExitCode = code
            $0.pid = nil
            $0.startTime = nil
        }) else { return false }
        pendingChanges.append(.saveTask(waiting))
        if exit.reportedByService { serviceAcks.append(exit.containerID) }
        let message = "Back-off \(Self.seconds(delay)) restarting failed container \(Self.containerName(task)): \(outcome.message)"
        logger.info("task \(task.key): \(message)")
        enqueue(StatusUpdateFactory.make(task: task.key, state: .taskRunning, agentID: state.agentID, executorID: task.executorID,
                                         source: .executor, message: message, now: Self.now()), for: task.key)
        scheduleRestart(task.key, after: delay)
        return true
    }

    /// Starts the task's container again once `delay` seconds have passed.
    func scheduleRestart(_ key: TaskKey, after delay: Double) {
        pods.restartTimers[key]?.cancel()
        pods.restartTimers[key] = Task {
            try? await Task.sleep(for: .seconds(delay))
            guard !Task.isCancelled else { return }
            await self.restartContainer(key)
        }
    }

    /// Starts a new run of a task waiting to restart, as a new container (fresh cgroups, same
    /// sandbox: its output is appended to the same files).
    func restartContainer(_ key: TaskKey) {
        pods.restartTimers[key] = nil
        guard !stopped, let task = state.task(key), !task.state.isTerminal, !task.killRequested, task.pid == nil else { return }
        guard let restarted = state.replaceContainer(key, containerID: UUID().uuidString.lowercased()) else { return }
        pendingChanges.append(.saveTask(restarted))
        commit()
        switch containerSpec(for: restarted) {
        case .success(let spec):
            launch([(key, spec)])
        case .failure(let error):
            fail(restarted, state: .taskFailed, reason: .containerLaunchFailed, message: "Failed to restart the task: \(error)")
        }
    }

    /// A task waiting out its back-off was killed: it ends without another run. False when the
    /// task was not waiting to restart.
    func endWaitingRestart(_ task: AgentTask) -> Bool {
        guard let timer = pods.restartTimers.removeValue(forKey: task.key) else { return false }
        timer.cancel()
        guard let killed = state.update(task.key, {
            $0.killRequested = true
            $0.state = .taskKilled
        }) else { return true }
        pendingChanges.append(.saveTask(killed))
        enqueue(StatusUpdateFactory.make(task: task.key, state: .taskKilled, agentID: state.agentID, executorID: task.executorID,
                                         source: .agent, message: "Task killed while waiting to restart", now: Self.now()), for: task.key)
        taskEnded(killed)
        return true
    }

    /// The container name of a pod task (`ns/pod/web` is `web`), for messages.
    static func containerName(_ task: AgentTask) -> String {
        task.info.name.split(separator: "/").last.map(String.init) ?? task.key.taskID
    }

    /// `4s`, `0.5s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
