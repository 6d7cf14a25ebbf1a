import FairwayProto

/// Probes: a task's `health_check` (liveness) and `check` (readiness) run from the agent while
/// the task's process runs. Health changes are reported with REASON_TASK_HEALTH_CHECK_STATUS_UPDATED
/// and enough failures in a row kill the process (the restart policy then applies); readiness
/// verdicts are reported with REASON_TASK_CHECK_STATUS_UPDATED when they change. Probes of a pod
/// go to the pod IP (HTTP, TCP) or run in its namespace (COMMAND); on the host network, 127.0.0.1.
extension AgentService {
    enum ProbeKind: Sendable {
        case liveness
        case readiness(Fairway_V1_CheckInfo.TypeEnum)
    }

    /// A run of the task's container started at `startedAt`: new verdicts, new probe loops.
    func startProbes(_ task: AgentTask, startedAt: Double) {
        pods.stopProbes(task.key)
        var run = pods.runs[task.key] ?? ContainerRun()
        run.newRun()
        defer { pods.runs[task.key] = run }
        guard task.info.hasHealthCheck || task.info.hasCheck else { return }
        let target = probeTarget(task)
        let key = task.key
        let containerID = task.containerID
        var loops: [Task<Void, Never>] = []
        func loop(_ spec: ProbeSpec, _ kind: ProbeKind) -> Task<Void, Never> {
            ProbeRunner.start(spec, target: target) { [weak self] result in
                await self?.probeResult(result, kind: kind, key: key, containerID: containerID)
            }
        }
        if task.info.hasHealthCheck {
            switch ProbeSpec.liveness(task.info.healthCheck) {
            case .success(let spec):
                run.liveness = LivenessTracker(consecutiveFailures: spec.consecutiveFailures, gracePeriod: spec.gracePeriod,
                                               startedAt: startedAt)
                loops.append(loop(spec, .liveness))
            case .failure(let error):
                logger.warning("task \(key): its health check cannot run: \(error.message)")
            }
        }
        if task.info.hasCheck {
            switch ProbeSpec.readiness(task.info.check) {
            case .success(let spec):
                run.readiness = ReadinessTracker()
                run.checkStatus = ProbeResult.pendingStatus(spec.checkType)
                loops.append(loop(spec, .readiness(spec.checkType)))
            case .failure(let error):
                logger.warning("task \(key): its check cannot run: \(error.message)")
            }
        }
        pods.probes[key] = loops
    }

    /// Where the probes of a task go: its pod's IP and namespace, or this host.
    func probeTarget(_ task: AgentTask) -> ProbeRunner.Target {
        var host = "127.0.0.1"
        var prefix: [String] = []
        if let executor = task.executor,
           let group = pods.groups[ExecutorKey(frameworkID: task.key.frameworkID, executorID: executor.executorID.value)],
           group.isolated {
            host = group.ip
            prefix = podIsolator.commandPrefix(podID: group.podID)
        }
        return ProbeRunner.Target(host: host, commandPrefix: prefix, environment: environment(for: task), directory: task.sandbox)
    }

    /// One probe result of the run in `containerID` (results of an earlier run are dropped).
    func probeResult(_ result: ProbeResult, kind: ProbeKind, key: TaskKey, containerID: String) {
        guard let task = state.task(key), task.containerID == containerID, !task.state.isTerminal, task.pid != nil,
              !task.killRequested, var run = pods.runs[key] else { return }
        switch kind {
        case .liveness:
            guard var liveness = run.liveness else { return }
            let actions = liveness.record(result, at: Self.now())
            run.liveness = liveness
            for action in actions {
                switch action {
                case .healthChanged(let healthy, let why):
                    run.healthy = healthy
                    pods.runs[key] = run
                    enqueue(StatusUpdateFactory.make(task: key, state: .taskRunning, agentID: state.agentID, executorID: task.executorID,
                                                     source: .executor, reason: .taskHealthCheckStatusUpdated,
                                                     message: why.map { "Liveness probe failed: \($0)" }, pid: task.pid, now: Self.now()),
                            for: key)
                case .kill(let why):
                    run.livenessKill = why
                    pods.runs[key] = run
                    pods.stopProbes(key)
                    let grace = task.info.killPolicy.hasGracePeriod ? Double(task.info.killPolicy.gracePeriod.nanoseconds) / 1e9
                        : options.defaultGracePeriod
                    logger.info("task \(key): liveness probe failed \(liveness.failuresInARow) time(s) in a row (\(why)): killing its process")
                    signalWithGrace(task, grace: grace)
                }
            }
            pods.runs[key] = run
        case .readiness(let type):
            guard var readiness = run.readiness else { return }
            let changed = readiness.record(result)
            run.readiness = readiness
            run.checkStatus = result.checkStatus(type)
            pods.runs[key] = run
            guard changed else { return }
            enqueue(StatusUpdateFactory.make(task: key, state: .taskRunning, agentID: state.agentID, executorID: task.executorID,
                                             source: .executor, reason: .taskCheckStatusUpdated,
                                             message: result.passed ? nil : "Readiness probe failed: \(result.why)", pid: task.pid,
                                             now: Self.now()),
                    for: key)
        }
    }

    /// A task's process started (first run, restart, or adopted after an agent restart): its
    /// restart clock and probes start; a restart is reported.
    func containerStarted(_ task: AgentTask, firstRun: Bool) {
        let now = Self.now()
        if let policy = RestartPolicy(task: task.info) {
            var run = pods.runs[task.key] ?? ContainerRun()
            var restarts = run.restarts ?? ContainerRestarts(policy: policy, count: task.restarts, lastExitCode: task.lastExitCode)
            restarts.started(at: now)
            run.restarts = restarts
            pods.runs[task.key] = run
        }
        startProbes(task, startedAt: now)
        guard !firstRun, task.restarts > 0 else { return }
        enqueue(StatusUpdateFactory.make(task: task.key, state: .taskRunning, agentID: state.agentID, executorID: task.executorID,
                                         source: .executor, pid: task.pid, now: now), for: task.key)
    }

    /// A task reached a terminal state: its probes and restart timer stop, and its pod's network
    /// goes once the whole group has ended.
    func taskEnded(_ task: AgentTask) {
        pods.stopProbes(task.key)
        pods.restartTimers.removeValue(forKey: task.key)?.cancel()
        pods.runs[task.key] = nil
        if let executor = task.executor {
            podGroupMayHaveEnded(ExecutorKey(frameworkID: task.key.frameworkID, executorID: executor.executorID.value))
        }
    }
}
