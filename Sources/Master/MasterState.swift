import Allocator
import FairwayCore
import FairwayProto

/// The master's whole decision-making core: frameworks, agents, offers and tasks, and the DRF
/// allocator. Pure: every method takes the event and the current time and returns the actions for
/// the service shell to carry out. Nothing here touches the network, the disk or a clock.
public struct MasterState: Sendable {
    public struct Configuration: Sendable {
        public var heartbeatInterval: Double = 15
        /// How long a disconnected agent may stay away before its tasks are declared lost.
        public var agentRemovalTimeout: Double = 75
        /// How long agents recovered from the registry have to re-register after a master restart.
        public var agentReregisterTimeout: Double = 600
        public var defaultRefuseSeconds: Double = 5
        /// Seconds after which an unanswered offer is rescinded; nil keeps offers until answered
        /// (Mesos's default).
        public var offerTimeout: Double?
        public var allocator = AllocatorConfiguration()
        public init() {}
    }

    public let configuration: Configuration
    public let masterInfo: Fairway_V1_MasterInfo
    public var masterID: String { masterInfo.id }
    public let startTime: Double

    public internal(set) var frameworks: [String: FrameworkRecord] = [:]
    public internal(set) var completedFrameworks: [FrameworkRecord] = []
    public internal(set) var agents: [String: AgentRecord] = [:]
    /// Agents admitted before a master restart that have not re-registered yet.
    public internal(set) var recoveredAgents: [String: Fairway_V1_AgentInfo] = [:]
    public internal(set) var offers: [String: OfferRecord] = [:]
    public internal(set) var allocator: DRFAllocator

    var nextFrameworkNumber = 0
    var nextAgentNumber = 0
    var nextOfferNumber = 0
    /// Set by events that may let the allocator hand out something new.
    public internal(set) var allocationNeeded = false
    /// Offers sent, declined, accepted and rescinded; allocation passes.
    public internal(set) var counters = MasterCounters()
    /// Offer ids in the order they were made, for the offer timeout: the oldest come first, so a
    /// tick looks only at the front. Ids of offers answered since are skipped when reached.
    var offerAges = OfferAgeQueue()

    public init(configuration: Configuration, masterInfo: Fairway_V1_MasterInfo, now: Double) {
        self.configuration = configuration
        self.masterInfo = masterInfo
        self.startTime = now
        self.allocator = DRFAllocator(configuration: configuration.allocator)
    }

    /// Restores what the registry kept: admitted agents (waiting to re-register) and frameworks
    /// (disconnected, their failover timeout counting from now).
    public mutating func recover(agents agentInfos: [Fairway_V1_AgentInfo], frameworks frameworkInfos: [(Fairway_V1_FrameworkInfo, Double)],
                                 counters: [String: Int], now: Double) {
        for info in agentInfos { recoveredAgents[info.id.value] = info }
        for (info, registeredTime) in frameworkInfos {
            var record = FrameworkRecord(info: info, streamID: nil, registeredTime: registeredTime,
                                         disconnectedTime: now, recovered: true)
            record.reregisteredTime = nil
            frameworks[info.id.value] = record
            allocator.addFramework(info.id.value, roles: record.roles, active: false)
        }
        nextFrameworkNumber = counters["framework"] ?? 0
        nextAgentNumber = counters["agent"] ?? 0
    }

    mutating func newFrameworkID() -> (String, MasterAction) {
        defer { nextFrameworkNumber += 1 }
        let number = nextFrameworkNumber
        return ("\(masterID)-\(String(format4: number))", .persist(.setCounter(name: "framework", value: number + 1)))
    }

    mutating func newAgentID() -> (String, MasterAction) {
        defer { nextAgentNumber += 1 }
        let number = nextAgentNumber
        return ("\(masterID)-S\(number)", .persist(.setCounter(name: "agent", value: number + 1)))
    }

    mutating func newOfferID() -> String {
        defer { nextOfferNumber += 1 }
        return "\(masterID)-O\(nextOfferNumber)"
    }

    /// Looks a task up by framework and task id, among live (not completed) tasks.
    public func task(frameworkID: String, taskID: String) -> TaskRecord? {
        frameworks[frameworkID]?.tasks[taskID]
    }
}

extension String {
    /// Zero-padded to at least four digits, as Mesos numbers frameworks (`0007`).
    init(format4 number: Int) {
        let digits = String(number)
        self = digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }
}
