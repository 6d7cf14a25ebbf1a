import FairwayCore
import FairwayProto

/// The terminal status a task gets when its process ends: the one place that decides between
/// FINISHED, FAILED (and why) and KILLED.
public struct TaskOutcome: Sendable, Equatable {
    public var state: Fairway_V1_TaskState
    public var reason: Fairway_V1_TaskStatus.Reason?
    public var source: Fairway_V1_TaskStatus.Source
    public var message: String
    /// For a limitation (memory), the resource that was exceeded.
    public var limitation: [Fairway_V1_Resource]

    public init(state: Fairway_V1_TaskState, reason: Fairway_V1_TaskStatus.Reason? = nil,
                source: Fairway_V1_TaskStatus.Source, message: String, limitation: [Fairway_V1_Resource] = []) {
        self.state = state
        self.reason = reason
        self.source = source
        self.message = message
        self.limitation = limitation
    }

    /// - Parameters:
    ///   - exit: how the process ended.
    ///   - killRequested: the framework (or master) asked to kill the task.
    ///   - memoryLimitHit: the task's memory cgroup recorded an OOM kill.
    ///   - launchError: the launcher's message if it failed before `exec`ing the task.
    ///   - memoryLimitMB: the enforced limit, for the message.
    ///   - unknownExitReason: for an `unknown` exit, why the status was lost when it is not an agent
    ///     restart (the launcher service died).
    public static func classify(exit: ProcessExit, killRequested: Bool, memoryLimitHit: Bool,
                                launchError: String?, memoryLimitMB: Double?, unknownExitReason: String? = nil) -> TaskOutcome {
        if let launchError {
            return TaskOutcome(state: .taskFailed, reason: .containerLaunchFailed, source: .agent,
                               message: "Failed to launch the task: \(launchError)")
        }
        if killRequested {
            return TaskOutcome(state: .taskKilled, source: .executor,
                               message: "Task killed on request: the command \(exit)")
        }
        if memoryLimitHit && !exit.isSuccess {
            let limit = memoryLimitMB.map { "its memory limit of \(Scalar($0)) MB" } ?? "its memory limit"
            var resource = Fairway_V1_Resource()
            resource.name = "mem"
            resource.type = .scalar
            resource.scalar.value = memoryLimitMB ?? 0
            return TaskOutcome(state: .taskFailed, reason: .containerLimitationMemory, source: .agent,
                               message: "Memory limit exceeded: the task used more than \(limit) and was killed by the kernel's OOM killer (the command \(exit))",
                               limitation: memoryLimitMB == nil ? [] : [resource])
        }
        switch exit {
        case .exited(0):
            return TaskOutcome(state: .taskFinished, source: .executor, message: "Command exited with status 0")
        case .exited(let code):
            return TaskOutcome(state: .taskFailed, source: .executor, message: "Command exited with status \(code)")
        case .signaled(let signal):
            return TaskOutcome(state: .taskFailed, source: .executor,
                               message: "Command terminated by signal \(ProcessExit.signalName(signal))")
        case .unknown:
            if let unknownExitReason {
                return TaskOutcome(state: .taskFailed, reason: .executorTerminated, source: .agent,
                                   message: "The task's process ended after \(unknownExitReason); its exit status is unknown")
            }
            return TaskOutcome(state: .taskFailed, reason: .agentRestarted, source: .agent,
                               message: "The task's process ended while the agent was restarting; its exit status is unknown")
        }
    }
}
