/// Knobs of the planner that are policy rather than per-job settings; the defaults follow Hadoop.
public struct PlannerConfiguration: Sendable, Codable, Equatable {
    /// Counted failures of one job on one agent after which the job stops using that agent
    /// (Hadoop `mapreduce.job.maxtaskfailures.per.tracker` = 3).
    public var maxFailuresPerAgent: Int
    /// A job's blacklist is ignored while it would exclude more than this fraction of the agents that have
    /// sent offers (Hadoop MRv2 ignores node blacklisting past 33 %); otherwise a small cluster where every
    /// agent got blacklisted would hang the job instead of failing it.
    public var blacklistIgnoreFraction: Double
    /// Lost (or externally killed) attempts of one task tolerated before the job fails; they do not count
    /// against `maxAttempts` (Hadoop does not count attempts killed by node loss), but a task that keeps
    /// taking its agent down must not loop forever.
    public var maxLostAttemptsPerTask: Int
    /// `refuse_seconds` for offers declined while nothing (placeable on that agent) is waiting. Safe to be
    /// long because new work always comes with `.revive`, which clears filters.
    public var longRefuseSeconds: Double
    /// Lower bound of `refuse_seconds` when an offer is declined only because waiting maps prefer other
    /// hosts; the filter otherwise lasts until the earliest locality wait expires, so the agent comes back
    /// exactly when those maps may run there.
    public var shortRefuseSeconds: Double
    /// A running attempt is a straggler once its elapsed time exceeds `speculationMultiplier` × the median
    /// duration of its phase's finished tasks …
    public var speculationMultiplier: Double
    /// … and at least this many seconds (so that millisecond tasks do not trigger backups on noise).
    public var speculationMinimumElapsed: Double
    /// Finished tasks a phase needs before its durations are trusted for speculation.
    public var speculationMinimumFinished: Int
    /// At most this fraction of a phase's running tasks have a backup at once (at least one).
    /// (Hadoop `speculative.speculativecap` = 0.1.)
    public var speculationCap: Double
    /// When true, reduces launch only once every map is done, whatever the job's `reduceSlowstart`. By
    /// default (false) they launch once `reduceSlowstart` of the maps are done: the shell serves the map
    /// outputs that finish later (`GET /jobs/ID/map-outputs`) and a reduce polls for them while it
    /// fetches, merging only when it holds all of them. Maps are placed before reduces in every offer,
    /// so early reduces only take what the maps leave over.
    public var reducesNeedAllMaps: Bool

    public init(maxFailuresPerAgent: Int = 3, blacklistIgnoreFraction: Double = 0.5, maxLostAttemptsPerTask: Int = 10,
                longRefuseSeconds: Double = 30, shortRefuseSeconds: Double = 1, speculationMultiplier: Double = 2,
                speculationMinimumElapsed: Double = 1, speculationMinimumFinished: Int = 1,
                speculationCap: Double = 0.1, reducesNeedAllMaps: Bool = false) {
        self.maxFailuresPerAgent = maxFailuresPerAgent
        self.blacklistIgnoreFraction = blacklistIgnoreFraction
        self.maxLostAttemptsPerTask = maxLostAttemptsPerTask
        self.longRefuseSeconds = longRefuseSeconds
        self.shortRefuseSeconds = shortRefuseSeconds
        self.speculationMultiplier = speculationMultiplier
        self.speculationMinimumElapsed = speculationMinimumElapsed
        self.speculationMinimumFinished = speculationMinimumFinished
        self.speculationCap = speculationCap
        self.reducesNeedAllMaps = reducesNeedAllMaps
    }
}
