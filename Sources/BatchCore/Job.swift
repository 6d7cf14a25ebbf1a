/// A job's life: pending until its first attempt launches, then running until it ends one of three ways.
public enum JobState: String, Sendable, Codable, Equatable {
    case pending, running, succeeded, failed, killed

    public var isFinished: Bool { self == .succeeded || self == .failed || self == .killed }
}

/// The tasks of one phase with their tallies (kept up to date so progress is O(1) to read).
public struct JobPhase: Sendable, Codable, Equatable {
    public let phase: TaskPhase
    public internal(set) var tasks: [BatchTask]
    /// Tasks in state waiting (for reduces, including those still held back by slowstart).
    public internal(set) var waiting: Int
    /// Tasks with at least one live attempt.
    public internal(set) var running: Int
    /// Tasks succeeded.
    public internal(set) var done: Int
    /// Failed attempts counted against `maxAttempts` so far.
    public internal(set) var failedAttempts: Int

    init(phase: TaskPhase, count: Int, now: Double) {
        self.phase = phase
        self.tasks = (0..<count).map { BatchTask(phase: phase, index: $0, now: now) }
        self.waiting = count
        self.running = 0
        self.done = 0
        self.failedAttempts = 0
    }

    public var total: Int { tasks.count }
}

/// Everything the planner knows about one job: the persisted unit (the shell saves it on `.jobChanged`
/// and gives the saved jobs back to `BatchPlanner(jobs:)` after a restart).
public struct Job: Sendable, Codable, Equatable {
    public let id: JobID
    public let spec: JobSpec
    /// Map inputs, one per map task (empty for array jobs).
    public let splits: [InputSplit]
    /// Submit order: jobs are served first come, first served.
    public let sequence: Int
    public let submittedAt: Double
    public internal(set) var state: JobState
    /// Why it failed or was killed (nil while running and on success).
    public internal(set) var message: String?
    public internal(set) var startedAt: Double?
    public internal(set) var finishedAt: Double?
    /// `[array]` for array jobs, `[map, reduce]` for map/reduce jobs.
    public internal(set) var phases: [JobPhase]
    public internal(set) var counters: JobCounters
    /// Counted failures of this job's attempts per agent; at `maxFailuresPerAgent` the agent is not used
    /// for this job any more.
    public internal(set) var agentFailures: [String: Int]

    init(id: JobID, spec: JobSpec, splits: [InputSplit], sequence: Int, now: Double) {
        self.id = id
        self.spec = spec
        self.sequence = sequence
        self.submittedAt = now
        self.state = .pending
        self.counters = JobCounters()
        self.agentFailures = [:]
        switch spec.kind {
        case .array(let array):
            self.splits = []
            self.phases = [JobPhase(phase: .array, count: max(0, array.count), now: now)]
        case .mapReduce(let mr):
            self.splits = splits
            self.phases = [JobPhase(phase: .map, count: splits.count, now: now),
                           JobPhase(phase: .reduce, count: max(0, mr.reducers), now: now)]
        }
    }

    public var isFinished: Bool { state.isFinished }

    /// The task of `phase`, if the job has that phase and index.
    public func task(_ phase: TaskPhase, _ index: Int) -> BatchTask? {
        guard let p = phases.firstIndex(where: { $0.phase == phase }), phases[p].tasks.indices.contains(index)
        else { return nil }
        return phases[p].tasks[index]
    }
}
