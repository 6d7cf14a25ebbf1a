import Allocator
import FairwayCore

/// Everything a simulation run depends on. Two runs with equal configurations (seed included)
/// produce the same history: only the measured allocation latencies differ.
public struct SimulationConfiguration: Sendable {
    /// Which simulated frameworks declare their pending tasks with the REQUEST call.
    public enum DemandDeclaration: String, Sendable, CaseIterable {
        /// None: every framework takes whole offers, as frameworks written for Mesos do.
        case none
        /// Frameworks with an even number (fw-2, fw-4, ...) declare; the odd ones do not.
        case even
        /// Every framework declares.
        case all

        func declares(frameworkNumber: Int) -> Bool {
            switch self {
            case .none: false
            case .even: frameworkNumber % 2 == 0
            case .all: true
            }
        }
    }

    public var agents: Int
    public var frameworks: Int
    /// Frameworks are spread round-robin over roles `role-1` ... `role-R` (fw-1 in role-1, fw-2 in role-2, ...).
    public var roles: Int
    /// Virtual seconds to simulate.
    public var seconds: Double
    public var seed: UInt64
    /// Virtual seconds between fairness samples.
    public var sampleInterval: Double
    /// Role weights, applied through the operator call UPDATE_WEIGHTS before frameworks subscribe.
    public var weights: [String: Double]
    /// Role quotas, applied through UPDATE_QUOTA (checked against the cluster as Mesos does).
    public var quotas: [String: RoleQuota]
    /// Every simulated agent's resources, in Mesos syntax.
    public var agentResources: Resources
    /// Task shapes; each framework draws one (seeded) and launches only tasks of that shape.
    public var shapes: [Resources]
    /// Each task runs for a duration drawn uniformly from this range (virtual seconds).
    public var taskDuration: ClosedRange<Double>
    /// Tasks each framework has to run in all; nil: an endless backlog (it always wants more).
    public var backlog: Int?
    public var demandDeclaration: DemandDeclaration
    /// A declaring framework declares at most this many of its pending tasks at a time.
    public var demandWindow: Int
    /// The master's allocation batch window (MasterOptions.allocationBatchWindow): a pass runs this
    /// long after the first event that calls for one.
    public var allocationBatchWindow: Double
    /// Virtual one-way delay of every message between master, agents and frameworks.
    public var messageDelay: Double
    /// `refuse_seconds` of the frameworks' declines; nil: none given, so the master's default
    /// (5 s, as Mesos) applies.
    public var refuseSeconds: Double?

    public init(
        agents: Int = 10, frameworks: Int = 4, roles: Int = 1, seconds: Double = 300, seed: UInt64 = 1,
        sampleInterval: Double = 5, weights: [String: Double] = [:], quotas: [String: RoleQuota] = [:],
        agentResources: Resources = Self.defaultAgentResources, shapes: [Resources] = Self.defaultShapes,
        taskDuration: ClosedRange<Double> = 10...60, backlog: Int? = nil, demandDeclaration: DemandDeclaration = .even,
        demandWindow: Int = 50, allocationBatchWindow: Double = 0.005, messageDelay: Double = 0.001,
        refuseSeconds: Double? = nil
    ) {
        self.agents = agents
        self.frameworks = frameworks
        self.roles = roles
        self.seconds = seconds
        self.seed = seed
        self.sampleInterval = sampleInterval
        self.weights = weights
        self.quotas = quotas
        self.agentResources = agentResources
        self.shapes = shapes
        self.taskDuration = taskDuration
        self.backlog = backlog
        self.demandDeclaration = demandDeclaration
        self.demandWindow = demandWindow
        self.allocationBatchWindow = allocationBatchWindow
        self.messageDelay = messageDelay
        self.refuseSeconds = refuseSeconds
    }

    public static let defaultAgentResources = Resources(scalars: ["cpus": 16, "mem": 65536, "disk": 100_000])

    /// 1 cpu / 2 GiB, 2 cpus / 8 GiB, 4 cpus / 4 GiB, 0.5 cpu / 1 GiB.
    public static let defaultShapes = [
        Resources(scalars: ["cpus": 1, "mem": 2048]), Resources(scalars: ["cpus": 2, "mem": 8192]),
        Resources(scalars: ["cpus": 4, "mem": 4096]), Resources(scalars: ["cpus": 0.5, "mem": 1024]),
    ]

    /// The role of framework number `number` (1-based).
    func role(ofFramework number: Int) -> String { "role-\((number - 1) % max(1, roles) + 1)" }

    /// Throws a message naming the setting to fix. (`Simulation.init` checks this too; the
    /// master checks weights and quotas when the simulation applies them.)
    public func validate() throws(SimulationError) {
        func check(_ condition: Bool, _ message: String) throws(SimulationError) {
            if !condition { throw SimulationError(message) }
        }
        try check(agents >= 1, "--agents must be at least 1")
        try check(frameworks >= 1, "--frameworks must be at least 1")
        try check(roles >= 1, "--roles must be at least 1")
        try check(seconds > 0 && seconds.isFinite, "--seconds must be a positive number")
        try check(sampleInterval > 0 && sampleInterval.isFinite, "--sample-interval must be a positive number")
        try check(!shapes.isEmpty, "give at least one task shape")
        for shape in shapes {
            try check(!shape.isEmpty && agentResources.contains(shape),
                      "task shape \(shape) does not fit on an agent (\(agentResources)); use smaller shapes or bigger agents")
        }
        try check(taskDuration.lowerBound > 0 && taskDuration.upperBound.isFinite,
                  "task durations must be positive seconds, like 10-60")
        try check(backlog.map { $0 >= 0 } ?? true, "--backlog must not be negative")
        try check(demandWindow >= 1, "the demand window must be at least 1 task")
        try check(allocationBatchWindow >= 0 && messageDelay >= 0, "delays must not be negative")
        try check(refuseSeconds.map { $0 >= 0 && $0.isFinite } ?? true, "--refuse-seconds must be a number of seconds, 0 or more")
    }
}
