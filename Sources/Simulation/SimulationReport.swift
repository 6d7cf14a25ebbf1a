/// The outcome of a simulation run: the fairness history, what each framework got done, how busy
/// the cluster was, and how long the allocator's passes took on the wall clock.
///
/// Everything but `allocationLatency` is a function of the configuration and seed.
public struct SimulationReport: Sendable, Equatable, Codable {
    public struct Framework: Sendable, Equatable, Codable {
        /// `fw-1`, `fw-2`, ... (the master's framework id is `id`).
        public var name: String
        public var id: String
        public var role: String
        public var weight: Double
        /// Its task shape, in Mesos syntax.
        public var shape: String
        /// It declares its pending tasks with REQUEST.
        public var declaresDemand: Bool
        public var tasksLaunched: Int
        public var tasksFinished: Int
        /// Tasks that ended otherwise than TASK_FINISHED (a healthy run has none).
        public var tasksFailed: Int
        public var tasksRunning: Int
        public var offersReceived: Int
        /// Offers it could not use (nothing of its shape fitted, or no work left).
        public var offersDeclined: Int
        /// Dominant share (held + offered) at the end of the run.
        public var dominantShare: Double
        /// Mean dominant share over the samples of the second half of the run.
        public var meanShare: Double
        /// The ideal weighted-DRF share at the end (see `FairnessAnalysis`).
        public var idealShare: Double
    }

    public struct Role: Sendable, Equatable, Codable {
        public var name: String
        public var weight: Double
        public var quotaGuarantees: [String: Double]?
        public var quotaLimits: [String: Double]?
        public var dominantShare: Double
        public var meanShare: Double
    }

    /// One point of the fairness history.
    public struct Sample: Sendable, Equatable, Codable {
        /// Virtual seconds since the start.
        public var time: Double
        /// Dominant share of each framework, in the order of `frameworks`.
        public var shares: [Double]
        /// Ideal share of each framework, same order.
        public var idealShares: [Double]
        /// Dominant share of each role, in the order of `roles`.
        public var roleShares: [Double]
        /// Jain's index over the weighted dominant shares of frameworks with unmet demand.
        public var jainIndex: Double
        /// Allocated (held by tasks) / total, per resource.
        public var utilisation: [String: Double]
    }

    /// Wall-clock durations of the allocation passes, in milliseconds.
    public struct Latency: Sendable, Equatable, Codable {
        public var p50: Double = 0
        public var p99: Double = 0
        public var max: Double = 0
        public var mean: Double = 0
        public init() {}
    }

    public var agents: Int
    public var seconds: Double
    public var seed: UInt64
    public var sampleInterval: Double
    public var agentResources: String
    public var frameworks: [Framework]
    public var roles: [Role]
    public var samples: [Sample]
    /// At the end of the run.
    public var utilisation: [String: Double]
    /// Mean over the samples of the second half of the run.
    public var meanUtilisation: [String: Double]
    public var tasksLaunched: Int
    public var tasksCompleted: Int
    public var allocationPasses: Int
    public var offers: Int
    /// Events handled on the virtual clock.
    public var events: Int
    /// Status updates or calls the master refused; a healthy run has none.
    public var refused: Int
    public var allocationLatency: Latency

    /// JSON names (snake-cased by the CLI's encoder): the latencies say their unit.
    enum CodingKeys: String, CodingKey {
        case agents, seconds, seed, sampleInterval, agentResources, frameworks, roles, samples, utilisation,
             meanUtilisation, tasksLaunched, tasksCompleted, allocationPasses, offers, events, refused
        case allocationLatency = "allocationLatencyMs"
    }

    /// The report with the wall-clock latencies zeroed: equal for equal configurations and seeds.
    public var withoutTimings: SimulationReport {
        var copy = self
        copy.allocationLatency = Latency()
        return copy
    }
}
