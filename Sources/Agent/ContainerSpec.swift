/// One task process to start: where, what, with which environment and limits.
struct ContainerSpec: Sendable {
    var containerID: String
    var sandbox: String
    var command: TaskCommand
    var environment: [String: String]
    var cpus: Double?
    var memoryMB: Double?
    /// The executor id shared by the members of one task group (nil for a command task). The pods
    /// issue joins the members of a group to one network namespace here.
    var groupID: String?
    /// The sandbox file standard error goes to: `stderr`, or for a pod's container `stdout`, so its
    /// one log holds both streams in the order they were written (what `kubectl logs` shows).
    var stderrFile = "stderr"
    /// A pod container's hostname (the pod's name), set in its UTS namespace when it has its own
    /// network namespace.
    var podHostname: String?
}

/// What happens to a container, in order: it starts (its pid is known), then it exits.
enum ContainerEvent: Sendable {
    case started(containerID: String, pid: Int32, startTime: UInt64?)
    case exited(ContainerExit)
}

/// A task process that ended, with what the container knew about why.
struct ContainerExit: Sendable {
    var containerID: String
    /// 0 when no process was ever started.
    var pid: Int32
    var exit: ProcessExit
    var memoryLimitHit: Bool
    /// Set when the launcher failed before `exec`ing the task.
    var launchError: String?
    /// For an `unknown` exit: why the status could not be learnt, when it is not an agent restart.
    var unknownExitReason: String? = nil
    /// The launcher service reported this exit and keeps it until the agent acknowledges it.
    var reportedByService = false
}
