import FairwayProto

/// A task this agent runs or ran and still owes updates for: what was asked (the TaskInfo, and the
/// executor for task-group members), where it runs (sandbox, container, pid) and its latest state.
/// It is checkpointed whole, so a restarted agent knows everything it knew.
public struct AgentTask: Sendable, Equatable {
    public var key: TaskKey
    public var info: Fairway_V1_TaskInfo
    /// Set for a member of a task group (LAUNCH_GROUP); nil for a command task.
    public var executor: Fairway_V1_ExecutorInfo?
    public var state: Fairway_V1_TaskState
    /// The task's own sandbox directory: its working directory, with `stdout` and `stderr`.
    public var sandbox: String
    /// The executor's directory: the sandbox itself for a command task, the directory that holds
    /// the members' sandboxes for a task group.
    public var executorDirectory: String
    /// The sandbox file its standard error goes to: a pod's containers keep one log, `stdout`, with
    /// both streams interleaved as written (container runtimes do the same); other tasks keep Mesos's
    /// two files.
    public var stderrFile: String {
        executor.map(AgentService.wantsPodNetwork) == true ? "stdout" : "stderr"
    }

    /// Names the task's cgroups and its entry in the container runtime; unique per launch.
    public var containerID: String
    public var pid: Int32?
    /// The process start time (`/proc/PID/stat` field 22), to recognise the same process after an
    /// agent restart even if its pid number was reused.
    public var startTime: UInt64?
    public var killRequested: Bool
    /// Restarts under its restart policy so far (`RestartPolicy`): survives an agent restart.
    public var restarts: Int
    /// How its latest run ended (exit status, or 128 + signal), once one has.
    public var lastExitCode: Int32?

    public init(key: TaskKey, info: Fairway_V1_TaskInfo, executor: Fairway_V1_ExecutorInfo? = nil,
                state: Fairway_V1_TaskState = .taskStaging, sandbox: String, executorDirectory: String? = nil,
                containerID: String, pid: Int32? = nil, startTime: UInt64? = nil, killRequested: Bool = false,
                restarts: Int = 0, lastExitCode: Int32? = nil) {
        self.key = key
        self.info = info
        self.executor = executor
        self.state = state
        self.sandbox = sandbox
        self.executorDirectory = executorDirectory ?? sandbox
        self.containerID = containerID
        self.pid = pid
        self.startTime = startTime
        self.killRequested = killRequested
        self.restarts = restarts
        self.lastExitCode = lastExitCode
    }

    /// For a command task the executor id is the task id, as with Mesos's command executor.
    public var executorID: String { executor?.executorID.value ?? key.taskID }

    public var isCommandTask: Bool { executor == nil }
}
