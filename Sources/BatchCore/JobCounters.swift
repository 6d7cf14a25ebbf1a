/// Per-job tallies shown to users next to progress (Hadoop's job counters).
public struct JobCounters: Sendable, Codable, Equatable {
    public var attemptsLaunched = 0
    /// Failed and timed-out attempts (counted against `maxAttempts`).
    public var attemptsFailed = 0
    /// Attempts lost with their agent or killed by someone else (not counted against `maxAttempts`).
    public var attemptsLost = 0
    /// Attempts the planner killed: speculative losers, attempts of killed or failed jobs, reduces whose
    /// map outputs vanished with an agent.
    public var attemptsKilled = 0
    public var speculativeLaunched = 0
    /// Tasks done per phase name ("array", "map", "reduce").
    public var tasksDone: [String: Int] = [:]
    /// Sums of the counters (records, bytes, …) the shell passed in for each task's winning attempt.
    public var user: [String: Int] = [:]

    public init() {}
}
