import FairwayCore
import FairwayProto
import Foundation
import FrameworkKit
import NIOConcurrencyHelpers

/// A framework for tests and benchmarks: launches the given commands on whatever offers come, as
/// many per offer as fit, and records every status update it sees.
public final class TaskRunner: Sendable {
    public let scheduler: Scheduler
    private let state = NIOLockedValueBox(State())
    private let perTask: Resources
    /// Keep offers with nothing to launch instead of declining them.
    private let holdUnusedOffers: Bool
    /// Declare every pending task with REQUEST once subscribed (demand-aware offers).
    private let declareDemand: Bool

    struct State {
        var pending: [(id: String, command: String)] = []
        var updates: [String: [Fairway_V1_TaskStatus]] = [:]
        var agentsUsed: [String: String] = [:]
        var launchedAt: [String: Double] = [:]
        var terminalAt: [String: Double] = [:]
        var subscriptions = 0
        var lastOffer: Fairway_V1_Offer?
        var frameworkID: String?
    }

    public init(master: String, name: String, commands: [(String, String)], format: MessageFormat = .protobuf,
         cpus: Double = 0.1, mem: Double = 32, failoverTimeout: Double = 60, frameworkID: String? = nil,
         holdUnusedOffers: Bool = false, declareDemand: Bool = false) {
        self.holdUnusedOffers = holdUnusedOffers
        self.declareDemand = declareDemand
        var info = Fairway_V1_FrameworkInfo()
        info.user = "root"
        info.name = name
        info.failoverTimeout = failoverTimeout
        if let frameworkID { info.id.value = frameworkID }
        var configuration = SchedulerConfiguration(master: master, frameworkInfo: info, format: format)
        // Declared demand must reach the master before the first offer, or that offer is a whole agent.
        if declareDemand { configuration.suppressedRoles = ["*"] }
        scheduler = Scheduler(configuration: configuration)
        perTask = Resources(scalars: ["cpus": cpus, "mem": mem])
        state.withLockedValue { $0.pending = commands.map { (id: $0.0, command: $0.1) } }
    }

    public func start() {
        scheduler.start()
        let scheduler = self.scheduler
        Task { [self] in
            for await event in scheduler.events {
                await self.handle(event)
            }
        }
    }

    /// Closes the subscription (the framework stays registered until its failover timeout).
    public func stop() async {
        await scheduler.stop()
    }

    private func handle(_ event: SchedulerEvent) async {
        switch event {
        case .subscribed(let frameworkID, _, _):
            let pendingCount = state.withLockedValue {
                $0.subscriptions += 1
                $0.frameworkID = frameworkID.value
                return $0.pending.count
            }
            if declareDemand {
                var request = Fairway_V1_Request()
                request.resources = perTask.proto()
                try? await scheduler.request(Array(repeating: request, count: pendingCount))
                try? await scheduler.revive()
            }
        case .offers(let offers):
            for offer in offers {
                state.withLockedValue { $0.lastOffer = offer }
                let fits = offer.availableResources.fittingCount(of: perTask)
                let batch = state.withLockedValue { state -> [(id: String, command: String)] in
                    let batch = Array(state.pending.prefix(fits))
                    state.pending.removeFirst(batch.count)
                    let now = Date().timeIntervalSince1970
                    for task in batch {
                        state.agentsUsed[task.id] = offer.agentID.value
                        state.launchedAt[task.id] = now
                    }
                    return batch
                }
                let tasks = batch.map { Fairway_V1_TaskInfo.command(id: $0.id, agentID: offer.agentID, command: $0.command, resources: perTask) }
                if tasks.isEmpty {
                    // Holding on to the offer lets a test launch on it by hand (see `lastOffer`).
                    if holdUnusedOffers { continue }
                    try? await scheduler.decline([offer.id], refuseSeconds: 1)
                } else {
                    try? await scheduler.launch(offer, tasks: tasks, refuseSeconds: 0)
                }
            }
        case .update(let status):
            let now = Date().timeIntervalSince1970
            state.withLockedValue { state in
                state.updates[status.taskID.value, default: []].append(status)
                if status.state.isTerminal && state.terminalAt[status.taskID.value] == nil {
                    state.terminalAt[status.taskID.value] = now
                }
            }
        default:
            break
        }
    }

    /// When each task was sent to the master (ACCEPT) and when its first terminal update arrived.
    public var timings: (launched: [String: Double], terminal: [String: Double]) {
        state.withLockedValue { ($0.launchedAt, $0.terminalAt) }
    }

    public var updates: [String: [Fairway_V1_TaskStatus]] { state.withLockedValue { $0.updates } }
    /// The most recent offer received, for tests that launch by hand.
    public var lastOffer: Fairway_V1_Offer? { state.withLockedValue { $0.lastOffer } }

    public var subscriptions: Int { state.withLockedValue { $0.subscriptions } }
    public var frameworkID: String? { state.withLockedValue { $0.frameworkID } }
    public var agentsUsed: Set<String> { state.withLockedValue { Set($0.agentsUsed.values) } }

    public func latestState(of taskID: String) -> Fairway_V1_TaskState? { state.withLockedValue { $0.updates[taskID]?.last?.state } }

    /// Number of tasks that reached a terminal state.
    public var terminalCount: Int { state.withLockedValue { $0.updates.values.filter { $0.last?.state.isTerminal == true }.count } }

    public func allTerminal(_ ids: [String]) -> Bool {
        let updates = self.updates
        return ids.allSatisfy { updates[$0]?.last?.state.isTerminal == true }
    }
}
