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
}

/// A task process that ended, with what the container knew about why.
struct ContainerExit: Sendable {
    var containerID: String
    var pid: Int32
    var exit: ProcessExit
    var memoryLimitHit: Bool
    /// Set when the launcher failed before `exec`ing the task.
    var launchError: String?
}
