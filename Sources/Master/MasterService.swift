import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import Logging

/// The master's service shell: owns the state machine, carries out its actions (event streams,
/// registry writes), runs its timers, and serves HTTP. All decisions live in `MasterState`.
public actor MasterService {
    public let options: MasterOptions
    let logger: Logger
    nonisolated let registry: Registry
    private var recovered: Registry.Snapshot
    /// The state machine; a placeholder until `start()` knows the port and recovers the registry.
    var state: MasterState
    var isReady = false
    private var frameworkSinks: [String: EventSink] = [:]
    private var agentSinks: [String: EventSink] = [:]
    private var allocationScheduled = false
    private var server: HTTPServer?
    private var timers: [Task<Void, Never>] = []
    public private(set) var port: Int = 0
    /// The state as the read-only endpoints see it (read it with `published()`).
    nonisolated let publishedBox = PublishedMasterBox()
    var publishedFlags: [Fairway_V1_Master_Response.Flag] = []
    var lastPublished: ContinuousClock.Instant?
    /// Changes closer together than this after a publication only mark it stale (see
    /// `PublishedMasterBox`): under a stream of events the tables are copied at most this often
    /// (plus once per read).
    static let publishInterval: Duration = .milliseconds(50)
    /// How long allocation passes took, measured here because the state machine has no clock.
    var allocationLatency = LatencyHistogram()

    public init(options: MasterOptions, logger: Logger = Logger(label: "fairway.master")) throws {
        self.options = options
        self.logger = logger
        try FileManager.default.createDirectory(atPath: options.workDir, withIntermediateDirectories: true)
        registry = try Registry(path: (options.workDir as NSString).appendingPathComponent("registry.sqlite"))
        recovered = try registry.load()
        state = MasterState(configuration: .init(), masterInfo: Fairway_V1_MasterInfo(), now: Self.now())
    }

    /// Binds the HTTP port, recovers from the registry and starts the timers. Returns the port.
    @discardableResult
    public func start() async throws -> Int {
        let server = try await HTTPServer.start(host: options.ip, port: options.port,
                                                handler: MasterHTTPHandler(master: self), logger: logger)
        self.server = server
        port = server.port
        let now = Self.now()
        var configuration = MasterState.Configuration()
        configuration.heartbeatInterval = options.heartbeatInterval
        configuration.agentRemovalTimeout = options.agentRemovalTimeout
        configuration.agentReregisterTimeout = options.agentReregisterTimeout
        configuration.offerTimeout = options.offerTimeout
        // `--weights` first; weights persisted by UPDATE_WEIGHTS then override them (restorePolicy).
        configuration.allocator.roleWeights = options.roleWeights
        configuration.allocator.excludedFromFairness = options.fairSharingExcludedResourceNames
        state = MasterState(configuration: configuration, masterInfo: makeMasterInfo(port: server.port), now: now)
        state.recover(agents: recovered.agents, frameworks: recovered.frameworks, counters: recovered.counters, now: now)
        state.restorePolicy(weights: recovered.weights, quotas: recovered.quotas)
        isReady = true
        publishedFlags = flags()
        publish()
        logger.info("master \(state.masterID) listening on http://\(options.ip):\(server.port)",
                    metadata: ["recovered_agents": "\(recovered.agents.count)", "recovered_frameworks": "\(recovered.frameworks.count)"])
        startTimers()
        return server.port
    }

    /// Runs until the surrounding task is cancelled.
    public func run() async throws {
        try await start()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await stop()
    }

    public func stop() async {
        for timer in timers { timer.cancel() }
        timers = []
        for sink in frameworkSinks.values { sink.close() }
        for sink in agentSinks.values { sink.close() }
        await server?.shutdown()
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    private func makeMasterInfo(port: Int) -> Fairway_V1_MasterInfo {
        let advertisedIP = options.ip == "0.0.0.0" ? "127.0.0.1" : options.ip
        let hostname = options.hostname ?? (options.ip == "0.0.0.0" ? ProcessInfo.processInfo.hostName : options.ip)
        var info = Fairway_V1_MasterInfo()
        info.id = UUID().uuidString.lowercased()
        info.ip = IPv4.networkOrderValue(of: advertisedIP)
        info.port = UInt32(port)
        info.pid = "master@\(advertisedIP):\(port)"
        info.hostname = hostname
        info.version = FairwayVersion.mesosCompatible
        info.address.hostname = hostname
        info.address.ip = advertisedIP
        info.address.port = Int32(port)
        return info
    }

    // MARK: - Carrying out actions

    /// Applies a state-machine step: `body` mutates the state and returns actions, which are then
    /// carried out. Returns nil while the master is still starting.
    func step<T>(_ body: (inout MasterState, Double) -> (T, [MasterAction])) -> T? {
        guard isReady else { return nil }
        // In place: a copy of the state would make every step copy its tables.
        let (result, actions) = body(&state, Self.now())
        perform(actions)
        return result
    }

    func perform(_ actions: [MasterAction]) {
        // Before carrying anything out: whoever learns of a change through an event must not read
        // an older state (it is published now, or the box is marked stale).
        stateChanged()
        var changes: [RegistryChange] = []
        for action in actions {
            switch action {
            case .sendToFramework(let frameworkID, let event):
                frameworkSinks[frameworkID]?.send(event)
            case .closeFrameworkStream(let streamID):
                for (frameworkID, sink) in frameworkSinks where sink.streamID == streamID {
                    sink.close()
                    frameworkSinks[frameworkID] = nil
                }
            case .sendToAgent(let agentID, let event):
                agentSinks[agentID]?.send(event)
            case .closeAgentStream(let streamID):
                for (agentID, sink) in agentSinks where sink.streamID == streamID {
                    sink.close()
                    agentSinks[agentID] = nil
                }
            case .persist(let change):
                changes.append(change)
            }
        }
        if !changes.isEmpty {
            do {
                try registry.apply(changes)
            } catch {
                logger.critical("registry write failed: \(error)")
            }
        }
        scheduleAllocationIfNeeded()
    }

    func attachFramework(_ frameworkID: String, sink: EventSink) {
        frameworkSinks[frameworkID] = sink
    }

    func attachAgent(_ agentID: String, sink: EventSink) {
        agentSinks[agentID] = sink
    }

    func frameworkStreamClosed(frameworkID: String, streamID: String) {
        if frameworkSinks[frameworkID]?.streamID == streamID { frameworkSinks[frameworkID] = nil }
        _ = step { state, now in ((), state.frameworkDisconnected(frameworkID: frameworkID, streamID: streamID, now: now)) }
        logger.info("framework \(frameworkID) disconnected")
    }

    func agentStreamClosed(agentID: String, streamID: String) {
        if agentSinks[agentID]?.streamID == streamID { agentSinks[agentID] = nil }
        _ = step { state, now in ((), state.agentDisconnected(agentID: agentID, streamID: streamID, now: now)) }
        logger.info("agent \(agentID) disconnected")
    }

    // MARK: - Timers and allocation

    private func scheduleAllocationIfNeeded() {
        guard isReady, state.allocationNeeded, !allocationScheduled else { return }
        allocationScheduled = true
        let window = options.allocationBatchWindow
        Task {
            try? await Task.sleep(for: .seconds(window))
            await self.runAllocation()
        }
    }

    private func runAllocation() {
        allocationScheduled = false
        _ = step { state, now in
            let clock = ContinuousClock()
            let started = clock.now
            let actions = state.allocate(now: now)
            let elapsed = started.duration(to: clock.now)
            allocationLatency.record(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            return ((), actions)
        }
    }

    private func startTimers() {
        let heartbeat = options.heartbeatInterval
        timers.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(heartbeat))
                await self?.sendHeartbeats()
            }
        })
        timers.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await self?.tick()
            }
        })
        timers.append(FairnessSampler(master: self, registry: registry, interval: options.fairnessSampleInterval,
                                      retention: options.fairnessRetention, logger: logger).start())
    }

    private func sendHeartbeats() {
        for sink in frameworkSinks.values { sink.send(Fairway_V1_Scheduler_Event.heartbeat) }
        var event = Fairway_Internal_AgentEvent()
        event.type = .heartbeat
        for sink in agentSinks.values { sink.send(event) }
    }

    private func tick() {
        _ = step { state, now in ((), state.tick(now: now)) }
    }
}

/// The version Fairway reports where Mesos clients expect one: purely numeric, because pymesos
/// splits it on dots and converts every part to an integer.
public enum FairwayVersion {
    public static let mesosCompatible = "1.11.0"
    public static let fairway = "0.1.0"
}

enum IPv4 {
    /// The address as a UInt32 holding its bytes in network order, as MasterInfo.ip carries it.
    static func networkOrderValue(of address: String) -> UInt32 {
        let parts = address.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4 else { return 0 }
        return parts[0] | parts[1] << 8 | parts[2] << 16 | parts[3] << 24
    }
}
