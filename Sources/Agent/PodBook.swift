import FairwayProto

/// What the agent keeps about its pods beside `AgentState`: each pod's network, and per task the
/// bookkeeping of its current run (restarts, probe verdicts) with the timers and probe tasks that
/// belong to it. Only the networks (and the restart counts in `AgentTask`) are checkpointed: the
/// rest starts afresh with each run.
struct PodBook: Sendable {
    /// The network of each pod on this agent.
    var groups: [ExecutorKey: PodGroupNetwork] = [:]
    /// Pods whose network is being set up (their containers wait for it).
    var settingUp: Set<ExecutorKey> = []
    /// Pods whose first container start has said "host network" already.
    var hostNoteSent: Set<ExecutorKey> = []
    var runs: [TaskKey: ContainerRun] = [:]
    /// Probe loops of each task's current run.
    var probes: [TaskKey: [Task<Void, Never>]] = [:]
    /// Restarts waiting out their back-off.
    var restartTimers: [TaskKey: Task<Void, Never>] = [:]
    /// Namespaces being removed, so a stopping agent can let them finish.
    var detaching: [Int: Task<Void, Never>] = [:]
    var nextDetach = 0

    /// Ends every probe loop of a task.
    mutating func stopProbes(_ key: TaskKey) {
        for probe in probes.removeValue(forKey: key) ?? [] { probe.cancel() }
    }

    /// Cancels everything that would still act: probes and restart timers (agent shutdown).
    mutating func cancelAll() {
        for key in Array(probes.keys) { stopProbes(key) }
        for timer in restartTimers.values { timer.cancel() }
        restartTimers = [:]
    }
}

/// The state of a task's current run that status updates carry: restart bookkeeping (for tasks
/// with a restart policy) and the verdicts of its probes.
struct ContainerRun: Sendable {
    var restarts: ContainerRestarts?
    var liveness: LivenessTracker?
    var readiness: ReadinessTracker?
    /// The latest health verdict (nil before the first liveness result).
    var healthy: Bool?
    /// The latest readiness result, as a check status.
    var checkStatus: Fairway_V1_CheckStatusInfo?
    /// Set when the liveness probe had the run killed: why.
    var livenessKill: String?

    /// Forgets the verdicts of the previous run (a new run starts).
    mutating func newRun() {
        liveness = nil
        readiness = nil
        healthy = nil
        checkStatus = nil
        livenessKill = nil
    }
}
