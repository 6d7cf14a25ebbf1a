import FairwayCore
import FairwayProto
import Foundation
import Master

/// The master of the pods throughput bench: `MasterState` in-process with simulated agents, run
/// the way `MasterService` runs it — scheduler calls handled in order, one allocation pass
/// `window` seconds after the first event that needs one — but without the network: events go to
/// the framework on an `AsyncStream`, and each simulated agent answers a RUN_TASKS with
/// TASK_RUNNING for every container at once.
actor PodBenchMaster {
    static let frameworkStream = "pods-framework-stream"

    private var state: MasterState
    private var agentStreams: [String: String] = [:]
    private let events: AsyncStream<Fairway_V1_Scheduler_Event>.Continuation
    /// What the framework's subscription would carry: SUBSCRIBED, OFFERS, UPDATE…
    nonisolated let eventStream: AsyncStream<Fairway_V1_Scheduler_Event>
    private var frameworkID = ""
    private var allocationScheduled = false
    private let window: Double
    private var updateSequence: UInt64 = 0
    private(set) var times = PodBenchTimes()
    private(set) var passes = 0
    private(set) var offersMade = 0
    private(set) var tasksLaunched = 0

    static func now() -> Double { Date().timeIntervalSince1970 }

    init(agents: Int, cpus: Double, memMB: Double, window: Double) {
        var info = Fairway_V1_MasterInfo()
        info.id = "bench"
        info.hostname = "127.0.0.1"
        info.port = 5050
        var state = MasterState(configuration: .init(), masterInfo: info, now: Self.now())
        let resources = Resources(scalars: ["cpus": cpus, "mem": memMB]).proto()
        var streams: [String: String] = [:]
        for index in 0..<agents {
            var register = Fairway_Internal_AgentCall.Register()
            register.agentInfo.hostname = String(format: "agent-%05d", index)
            register.agentInfo.port = 5051
            register.agentInfo.resources = resources
            register.version = "simulated"
            let stream = "agent-stream-\(index)"
            if case .registered(let agentID, _) = state.registerAgent(register, streamID: stream, now: Self.now()) {
                streams[agentID] = stream
            }
        }
        self.state = state
        agentStreams = streams
        self.window = window
        (eventStream, events) = AsyncStream.makeStream(of: Fairway_V1_Scheduler_Event.self)
    }

    /// The master's books, for a run that stops making progress.
    func diagnosis() -> String {
        let framework = state.frameworks[frameworkID]
        return "\(passes) passes, \(offersMade) offers made, \(state.offers.count) outstanding, \(framework?.tasks.count ?? 0) tasks, "
            + "demand \(state.allocator.demand(of: frameworkID).count), allocation needed \(state.allocationNeeded)"
    }

    /// The framework's SUBSCRIBE; the SUBSCRIBED event goes out on `eventStream`. Returns the
    /// framework id.
    func subscribe(_ frameworkInfo: Fairway_V1_FrameworkInfo) throws(BenchError) -> String {
        var call = Fairway_V1_Scheduler_Call.Subscribe()
        call.frameworkInfo = frameworkInfo
        switch state.subscribe(call, streamID: Self.frameworkStream, now: Self.now()) {
        case .subscribed(let id, let actions):
            frameworkID = id
            perform(actions)
            return id
        case .refused(let reason):
            throw BenchError("the in-process master refused the pods framework: \(reason)")
        }
    }

    /// One scheduler call from the framework, as `MasterService.schedulerCall` hands it on.
    func call(_ call: Fairway_V1_Scheduler_Call) {
        let now = Self.now()
        let start = Stopwatch.nanoseconds()
        let actions: [MasterAction]
        switch call.type {
        case .accept: actions = state.accept(frameworkID: frameworkID, call.accept, now: now)
        case .decline: actions = state.decline(frameworkID: frameworkID, call.decline, now: now)
        case .revive: actions = state.revive(frameworkID: frameworkID, roles: call.revive.roles)
        case .suppress: actions = state.suppress(frameworkID: frameworkID, roles: call.suppress.roles)
        case .kill: actions = state.kill(frameworkID: frameworkID, call.kill, now: now)
        case .acknowledge: actions = state.acknowledge(frameworkID: frameworkID, call.acknowledge, now: now)
        case .acknowledgeMany: actions = state.acknowledge(frameworkID: frameworkID, call.acknowledgeMany.acknowledgements, now: now)
        case .request: actions = (try? state.request(frameworkID: frameworkID, call.request).get()) ?? []
        default: actions = []
        }
        times.add("master_\(call.type)", since: start)
        perform(actions)
    }

    private func perform(_ actions: [MasterAction]) {
        for action in actions {
            switch action {
            case .sendToFramework(_, let event):
                events.yield(event)
            case .sendToAgent(let agentID, let event) where event.type == .runTasks:
                runTasks(event.runTasks.runs, on: agentID)
            case .sendToAgent, .closeFrameworkStream, .closeAgentStream, .persist:
                continue
            }
        }
        scheduleAllocationIfNeeded()
    }

    /// The simulated agent starts every container of the RUN_TASKS at once: one TASK_RUNNING
    /// each (with a uuid, so the framework acknowledges it), sent back through the master.
    private func runTasks(_ runs: [Fairway_Internal_RunTask], on agentID: String) {
        guard let stream = agentStreams[agentID] else { return }
        let now = Self.now()
        var updates: [Fairway_Internal_StatusUpdate] = []
        for run in runs {
            let tasks = run.hasTaskGroup ? run.taskGroup.tasks : (run.hasTask ? [run.task] : [])
            for task in tasks {
                updateSequence += 1
                var update = Fairway_Internal_StatusUpdate()
                update.frameworkID = run.frameworkInfo.id
                update.status.taskID = task.taskID
                update.status.agentID.value = agentID
                update.status.state = .taskRunning
                update.status.source = .executor
                update.status.timestamp = now
                if run.hasExecutor { update.status.executorID = run.executor.executorID }
                update.status.uuid = Self.uuid(updateSequence)
                update.latestState = .taskRunning
                updates.append(update)
            }
        }
        tasksLaunched += updates.count
        let start = Stopwatch.nanoseconds()
        let result = state.agentStatusUpdates(agentID: agentID, streamID: stream, updates, now: now)
        times.add("master_agent_updates", since: start)
        if case .success(let actions) = result { perform(actions) }
    }

    private func scheduleAllocationIfNeeded() {
        guard state.allocationNeeded, !allocationScheduled else { return }
        allocationScheduled = true
        let window = self.window
        Task {
            try? await Task.sleep(for: .seconds(window))
            self.runAllocation()
        }
    }

    private func runAllocation() {
        allocationScheduled = false
        let start = Stopwatch.nanoseconds()
        let actions = state.allocate(now: Self.now())
        times.add("master_allocate", since: start)
        passes += 1
        for case .sendToFramework(_, let event) in actions { offersMade += event.offers.offers.count }
        perform(actions)
    }

    static func uuid(_ sequence: UInt64) -> Data {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 { bytes[15 - index] = UInt8(truncatingIfNeeded: sequence >> UInt64(index * 8)) }
        return Data(bytes)
    }
}
