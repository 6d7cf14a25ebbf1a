/// Where one attempt stands. `staging` and `running` are live; the rest are final.
public enum AttemptState: String, Sendable, Codable, Equatable {
    case staging, running, succeeded, failed, killed, lost

    public var isLive: Bool { self == .staging || self == .running }
}

/// One run of a task on one agent; its `attemptID` is the Mesos TaskID the shell launches it under.
public struct Attempt: Sendable, Codable, Equatable {
    /// `"<jobID>.m00003.a1"`: job, phase letter (t array, m map, r reduce), task index, attempt number.
    public let attemptID: String
    /// 1-based, in launch order within the task.
    public let number: Int
    public let agentID: String
    public let hostname: String
    public let launchedAt: Double
    /// A backup launched for a straggler while the task's original attempt kept running.
    public let speculative: Bool
    public internal(set) var state: AttemptState
    /// When the agent reported it running.
    public internal(set) var startedAt: Double?
    public internal(set) var finishedAt: Double?
    /// The last thing we heard about why it ended ("exited with status 1: …", "timed out after 60s").
    public internal(set) var lastMessage: String?
    /// Records/bytes the task reported, as passed in by the shell with its status update.
    public internal(set) var counters: [String: Int]?

    public var isLive: Bool { state.isLive }
}

/// How an attempt's life ended or moved on, as the shell translates Mesos task states.
public enum AttemptOutcome: Sendable, Equatable {
    /// TASK_STARTING / TASK_RUNNING.
    case running
    /// TASK_FINISHED: the command exited 0 (and, for a reduce, committed or found its partition committed).
    case finished
    /// TASK_FAILED / TASK_ERROR: counts against the task's `maxAttempts` and the agent's blacklist.
    case failed(String)
    /// TASK_KILLED that the planner did not ask for: retried, not counted against `maxAttempts`.
    case killed(String)
    /// TASK_LOST / GONE / UNREACHABLE / DROPPED / UNKNOWN: retried, not counted against `maxAttempts`.
    case lost(String)
}
