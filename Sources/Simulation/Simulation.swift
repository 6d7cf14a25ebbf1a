import Allocator
import FairwayCore
import FairwayProto
import Master

/// `fairway sim`: the real master state machine (`MasterState`, with its DRF allocator) driven by
/// simulated agents and frameworks on a virtual clock, so an operator can try a weight or quota
/// policy before using it.
///
/// Everything happens in virtual time: events wait in a queue ordered by time and are handled one
/// by one; nothing sleeps. Messages between master, agents and frameworks take
/// `messageDelay`; the master batches allocation passes like `MasterService` does. The wall clock
/// is read only to measure how long each allocation pass takes. A run is deterministic for its
/// configuration and seed (apart from those measured latencies).
public struct Simulation: Sendable {
    public let configuration: SimulationConfiguration
    var master: MasterState
    var frameworks: [SimulatedFramework] = []
    var agents: [SimulatedAgent] = []
    var queue = EventQueue<SimulationEvent>()
    var now = 0.0
    var random: SeededRandom
    var frameworkIndex: [String: Int] = [:]
    var agentIndex: [String: Int] = [:]
    var allocationScheduled = false
    var recorder = SimulationRecorder()

    /// Sets the cluster up at virtual time 0: agents register, the weights and quotas are applied
    /// through the operator calls (so they are checked as an operator's would be), frameworks
    /// subscribe.
    public init(configuration: SimulationConfiguration) throws(SimulationError) {
        try configuration.validate()
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
        var masterConfiguration = MasterState.Configuration()
        masterConfiguration.agentRemovalTimeout = .infinity
        var info = Fairway_V1_MasterInfo()
        info.id = "sim"
        info.hostname = "sim-master"
        master = MasterState(configuration: masterConfiguration, masterInfo: info, now: 0)

        for number in 1...configuration.agents {
            try registerAgent(SimulatedAgent(number: number, resources: configuration.agentResources))
        }
        try applyPolicy()
        for number in 1...configuration.frameworks {
            let shape = configuration.shapes[random.index(below: configuration.shapes.count)]
            try subscribe(SimulatedFramework(
                number: number, role: configuration.role(ofFramework: number), shape: shape,
                declaresDemand: configuration.demandDeclaration.declares(frameworkNumber: number),
                demandWindow: configuration.demandWindow, backlog: configuration.backlog,
                refuseSeconds: configuration.refuseSeconds))
        }
        var time = 0.0
        while time <= configuration.seconds {
            queue.schedule(.sample, at: time)
            time += configuration.sampleInterval
        }
        queue.schedule(.tick, at: Self.tickInterval)
        scheduleAllocationIfNeeded()
    }

    /// How often the master's timeouts run (as MasterService's timer).
    static let tickInterval = 0.25

    /// Runs to `configuration.seconds` of virtual time and reports. `progress` hears the virtual
    /// time after each fairness sample (for a progress line on a terminal).
    public mutating func run(progress: ((Double) -> Void)? = nil) -> SimulationReport {
        while let time = queue.nextTime, time <= configuration.seconds, let next = queue.pop() {
            now = next.time
            handle(next.event)
            recorder.events += 1
            if case .sample = next.event { progress?(now) }
        }
        now = configuration.seconds
        if recorder.samples.last?.time != now { sample() }
        return report()
    }

    private mutating func registerAgent(_ agent: SimulatedAgent) throws(SimulationError) {
        var agent = agent
        switch master.registerAgent(agent.registration, streamID: agent.streamID, now: now) {
        case .registered(let agentID, let actions):
            agent.agentID = agentID
            agentIndex[agentID] = agents.count
            agents.append(agent)
            perform(actions)
        case .shutdown(let message), .invalid(let message):
            throw SimulationError("The master refused simulated agent \(agent.number): \(message)")
        }
    }

    private mutating func subscribe(_ framework: SimulatedFramework) throws(SimulationError) {
        var subscribe = Fairway_V1_Scheduler_Call.Subscribe()
        subscribe.frameworkInfo = framework.frameworkInfo
        subscribe.suppressedRoles = framework.suppressedAtSubscribe
        switch master.subscribe(subscribe, streamID: "sim-framework-stream-\(framework.number)", now: now) {
        case .subscribed(let frameworkID, let actions):
            var framework = framework
            framework.frameworkID = frameworkID
            frameworkIndex[frameworkID] = frameworks.count
            frameworks.append(framework)
            perform(actions)
        case .refused(let message):
            throw SimulationError("The master refused simulated framework \(framework.name): \(message)")
        }
    }

    /// UPDATE_WEIGHTS and UPDATE_QUOTA, as an operator would send them once the agents are in.
    private mutating func applyPolicy() throws(SimulationError) {
        if !configuration.weights.isEmpty {
            let infos = configuration.weights.keys.sorted().map { role -> Fairway_V1_WeightInfo in
                var info = Fairway_V1_WeightInfo()
                info.role = role
                info.weight = configuration.weights[role] ?? 1
                return info
            }
            switch master.updateWeights(infos) {
            case .success(let actions): perform(actions)
            case .failure(let problem): throw SimulationError("The weights were refused: \(problem.message)")
            }
        }
        if !configuration.quotas.isEmpty {
            var update = Fairway_V1_Master_Call.UpdateQuota()
            update.quotaConfigs = configuration.quotas.keys.sorted().compactMap { role in
                configuration.quotas[role]?.config(role: role)
            }
            switch master.updateQuota(update) {
            case .success(let actions): perform(actions)
            case .failure(let problem): throw SimulationError("The quotas were refused: \(problem.message)")
            }
        }
    }
}
