/// The restart bookkeeping of one pod container (a task with a `RestartPolicy`): how often it was
/// restarted, how its last run ended, and the back-off. Pure: the agent feeds it the starts and
/// ends of the container's process with the current time and carries out the decision.
public struct ContainerRestarts: Sendable, Equatable {
    /// How one run of the container ended.
    public struct RunEnd: Sendable, Equatable {
        /// The exit status, or 128 + the signal (`ProcessExit.containerExitCode`).
        public var exitCode: Int32
        /// Non-zero status, a signal, a launch failure, an unknown status, or a liveness kill.
        public var failed: Bool
        /// The framework killed the task: it is never restarted.
        public var killRequested: Bool

        public init(exitCode: Int32, failed: Bool, killRequested: Bool) {
            self.exitCode = exitCode
            self.failed = failed
            self.killRequested = killRequested
        }
    }

    /// What to do after a run ended.
    public enum Decision: Sendable, Equatable {
        /// Start the container again after `delay` seconds; the task stays TASK_RUNNING.
        case restart(delay: Double)
        /// The task ends with this run (TASK_FINISHED, TASK_FAILED or TASK_KILLED).
        case stop
    }

    public let policy: RestartPolicy
    /// Restarts decided so far.
    public private(set) var count: Int
    /// How the previous run ended, once one has.
    public private(set) var lastExitCode: Int32?
    public private(set) var backoff: RestartBackoff
    /// When the current run's process started; nil while none runs.
    public private(set) var runStartedAt: Double?

    public init(policy: RestartPolicy, count: Int = 0, lastExitCode: Int32? = nil, backoff: RestartBackoff = RestartBackoff()) {
        self.policy = policy
        self.count = count
        self.lastExitCode = lastExitCode
        self.backoff = backoff
    }

    /// The container's process started at `now`.
    public mutating func started(at now: Double) {
        runStartedAt = now
    }

    /// The container's process ended at `now`: restart it (after the back-off) or end the task.
    public mutating func ended(_ end: RunEnd, at now: Double) -> Decision {
        let ranFor = runStartedAt.map { max(0, now - $0) } ?? 0
        runStartedAt = nil
        lastExitCode = end.exitCode
        guard !end.killRequested, policy.restarts(failed: end.failed) else { return .stop }
        count += 1
        return .restart(delay: backoff.delay(afterRunOf: ranFor))
    }
}

extension ProcessExit {
    /// The exit code a container runtime reports: the status, 128 + the signal for a process
    /// ended by one (137 for SIGKILL, as shells and kubectl show it), 255 when unknown.
    public var containerExitCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        case .unknown: 255
        }
    }
}
