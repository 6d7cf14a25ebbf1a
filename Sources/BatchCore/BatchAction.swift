/// What the shell must do after a planner call, in the order given: persist changed jobs first
/// (so a crash never loses a launched attempt), then talk to the master, then report finished jobs.
public enum BatchAction: Sendable, Equatable {
    /// ACCEPT one offer with LAUNCH operations, one task per plan.
    case launch(offerID: String, agentID: String, plans: [LaunchPlan])
    /// DECLINE unused offers with `Filters.refuse_seconds`.
    case decline(offerIDs: [String], refuseSeconds: Double)
    /// KILL one attempt (Mesos TaskID = attemptID).
    case kill(attemptID: String, agentID: String)
    /// REQUEST: replaces the demand declared to the master; count = attempts waiting to be placed now.
    case declareDemand([DemandShape])
    /// SUPPRESS: nothing is waiting to be placed.
    case suppress
    /// REVIVE: new work after a suppress, or after long declines that would now hide usable offers.
    case revive
    /// Persist this job (`BatchPlanner.job(_:)`). Emitted at most once per job per call; a busy shell may
    /// coalesce several calls' worth before writing.
    case jobChanged(JobID)
    /// The job reached a final state; `message` says why when it did not succeed.
    case jobFinished(JobID, JobState, message: String?)
}

/// An offer as the planner needs it: the shell has already picked the resources allocatable to its role.
public struct OfferView: Sendable, Equatable {
    public var offerID: String
    public var agentID: String
    public var hostname: String
    public var cpus: Double
    public var memMB: Double

    public init(offerID: String, agentID: String, hostname: String, cpus: Double, memMB: Double) {
        self.offerID = offerID
        self.agentID = agentID
        self.hostname = hostname
        self.cpus = cpus
        self.memMB = memMB
    }
}

/// One line of declared demand: `count` attempts of this size are waiting to be placed.
public struct DemandShape: Sendable, Codable, Equatable, Hashable {
    public var cpus: Double
    public var memMB: Double
    public var count: Int

    public init(cpus: Double, memMB: Double, count: Int) {
        self.cpus = cpus
        self.memMB = memMB
        self.count = count
    }
}

/// Attempts the shell should ask the master about after a restart (explicit reconciliation).
public struct LiveAttempt: Sendable, Equatable, Hashable {
    public var attemptID: String
    public var agentID: String
    public var jobID: JobID
}
