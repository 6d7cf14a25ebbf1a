/// Progress of one phase, as users see it on the progress bar.
public struct PhaseStatus: Sendable, Codable, Equatable {
    public var phase: TaskPhase
    public var total: Int
    public var done: Int
    public var running: Int
    public var waiting: Int
    /// Failed attempts so far (each retried unless the job failed).
    public var failedAttempts: Int
}

/// A job's progress as a pure value; the shell turns it into the job API's response.
public struct JobStatus: Sendable, Codable, Equatable {
    public var id: JobID
    public var name: String
    /// "array" or "mapreduce".
    public var kind: String
    public var state: JobState
    /// Why the job failed or was killed.
    public var message: String?
    public var submittedAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    /// Seconds from submit to finish, or to `now` while unfinished.
    public var elapsed: Double
    public var phases: [PhaseStatus]
    public var counters: JobCounters

    public var attemptsLaunched: Int { counters.attemptsLaunched }
}
