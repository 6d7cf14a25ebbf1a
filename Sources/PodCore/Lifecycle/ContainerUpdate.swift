/// A status update of one container's task, as the shell reads it from a Mesos `TaskStatus`.
public struct ContainerUpdate: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Staging or starting: the process does not run yet.
        case starting
        case running
        /// Ended for good with exit code 0.
        case finished
        /// Ended for good with a non-zero exit code (or a signal).
        case failed
        case killed
        /// The agent or the task is gone (lost, gone, unreachable, dropped, unknown).
        case lost
        /// The agent refused to start it (a bad command, say).
        case error
    }

    public var taskID: String
    public var kind: Kind
    public var agentID: String
    public var message: String?
    public var exitCode: Int?
    public var memoryLimitHit: Bool
    public var podIP: String?
    /// The readiness check's latest verdict; nil when there was none.
    public var ready: Bool?
    /// Restarts of the container so far (the agent applies the restart policy).
    public var restartCount: Int?
    public var lastTermination: ContainerTermination?

    public init(taskID: String, kind: Kind, agentID: String, message: String? = nil, exitCode: Int? = nil,
                memoryLimitHit: Bool = false, podIP: String? = nil, ready: Bool? = nil, restartCount: Int? = nil,
                lastTermination: ContainerTermination? = nil) {
        self.taskID = taskID
        self.kind = kind
        self.agentID = agentID
        self.message = message
        self.exitCode = exitCode
        self.memoryLimitHit = memoryLimitHit
        self.podIP = podIP
        self.ready = ready
        self.restartCount = restartCount
        self.lastTermination = lastTermination
    }
}
