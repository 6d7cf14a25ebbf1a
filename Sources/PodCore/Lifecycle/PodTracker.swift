/// The pods framework's pure life-cycle core: pending pods wait in a queue, each batch of offers
/// places as many as fit (through `PodPlacer`), container status updates become pod status, and
/// the master hears the pending demand, suppress and revive. Events in, actions out; no I/O and
/// the clock is a parameter.
public struct PodTracker: Sendable {
    public struct Options: Hashable, Sendable {
        /// Filter on offers declined while pods wait: short, so placement is retried soon.
        public var busyRefuseSeconds: Double = 1
        /// Filter on offers declined with nothing pending (offers are suppressed as well).
        public var idleRefuseSeconds: Double = 30
        public init() {}
    }

    struct Tracked: Sendable {
        var definition: PodDefinition
        var status = PodStatusView()
        var agentID: String?
        /// The last unschedulable message sent, so a waiting pod does not repeat its event.
        var unschedulableMessage: String?

        /// Task ids of the containers that have not ended.
        var liveTaskIDs: [String] {
            zip(definition.containers, definition.taskIDs).filter { name, _ in
                status.containers.first { $0.name == name }?.state.termination == nil
            }.map(\.1)
        }
    }

    public var placer: PodPlacer
    public let options: Options
    var queue = PodQueue()
    var pods: [String: Tracked] = [:]
    var suppressed = false
    var declaredDemand: [PodDemand] = []
    var patience = SpreadPatience()
    /// After a subscription, offers are let in once before suppressing, so the agents and what
    /// they hold are known (to explain why a pod that fits nowhere waits).
    var awaitingFirstOffers = true

    public init(placer: PodPlacer = PodPlacer(), options: Options = Options()) {
        self.placer = placer
        self.options = options
    }

    public var pendingCount: Int { queue.count }

    public func status(of uid: String) -> PodStatusView? { pods[uid]?.status }

    public func agent(of uid: String) -> String? { pods[uid]?.agentID }

    public func definition(of uid: String) -> PodDefinition? { pods[uid]?.definition }

    /// Task ids of every container the core believes placed and not ended, with their agents, for
    /// reconciliation after a failover.
    public var liveTasks: [(taskID: String, agentID: String)] {
        pods.values.compactMap { pod -> [(String, String)]? in
            guard let agent = pod.agentID, !pod.status.phase.isTerminal else { return nil }
            return pod.liveTaskIDs.map { ($0, agent) }
        }.flatMap { $0 }.sorted { $0.0 < $1.0 }
    }

    /// A new pod: it waits for an offer.
    public mutating func add(_ definition: PodDefinition, now: Double) -> [PodAction] {
        guard pods[definition.uid] == nil else { return [] }
        var status = PodStatusView()
        status.containers = definition.containers.map { ContainerStatusView(name: $0, state: .waiting(reason: "Pending")) }
        pods[definition.uid] = Tracked(definition: definition, status: status)
        let wasIdle = queue.isEmpty
        queue.add(definition.request)
        // The first pod to wait revives even when offers are not suppressed: filters from earlier
        // declines (ours, or a previous instance's before a failover) must not hold it up.
        return (wasIdle && !suppressed ? [.revive] : []) + demandActions()
    }

    /// A pod found bound to an agent when the framework starts again: its status as stored.
    public mutating func restore(_ definition: PodDefinition, agentID: String, status: PodStatusView, now: Double) {
        pods[definition.uid] = Tracked(definition: definition, status: status, agentID: agentID)
        if !status.phase.isTerminal {
            placer.state.record(podUID: definition.uid, controllerKey: definition.request.controllerKey,
                                agentID: agentID, at: now)
        }
    }

    /// The pod was deleted: its running containers are killed and it is forgotten.
    public mutating func remove(uid: String, now: Double) -> [PodAction] {
        guard let pod = pods.removeValue(forKey: uid) else { return [] }
        queue.remove(uid: uid)
        placer.state.remove(podUID: uid)
        var actions: [PodAction] = []
        if let agent = pod.agentID, !pod.status.phase.isTerminal {
            let live = pod.liveTaskIDs
            if !live.isEmpty { actions.append(.kill(taskIDs: live, agentID: agent)) }
        }
        return actions + demandActions()
    }

    /// Suppress when nothing waits, revive when something does, and keep the declared demand
    /// equal to the queue's shapes.
    mutating func demandActions() -> [PodAction] {
        var actions: [PodAction] = []
        let demand = queue.demand
        if demand != declaredDemand {
            declaredDemand = demand
            actions.append(.declareDemand(demand))
        }
        if queue.isEmpty, !suppressed, !awaitingFirstOffers {
            suppressed = true
            actions.append(.suppress)
        } else if !queue.isEmpty, suppressed {
            suppressed = false
            actions.append(.revive)
        }
        return actions
    }

    /// After a (re)subscription: declare demand again, and revive when pods wait — filters a
    /// previous instance left on the master (before a failover) must not keep them waiting.
    public mutating func subscribed(now: Double) -> [PodAction] {
        suppressed = false
        awaitingFirstOffers = true
        declaredDemand = []
        return (queue.isEmpty ? [] : [.revive]) + demandActions()
    }
}
