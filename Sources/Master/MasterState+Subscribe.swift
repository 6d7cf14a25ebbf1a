import FairwayCore
import FairwayProto

/// The outcome of a SUBSCRIBE: the framework's id and the actions, or the reason it was refused
/// (sent to the subscriber as an ERROR event, as Mesos does).
public enum SubscribeOutcome: Sendable {
    case subscribed(frameworkID: String, actions: [MasterAction])
    case refused(String)
}

extension MasterState {
    public mutating func subscribe(_ subscribe: Fairway_V1_Scheduler_Call.Subscribe, streamID: String,
                                   now: Double) -> SubscribeOutcome {
        var info = subscribe.frameworkInfo
        if let problem = RoleValidation.problem(with: info) { return .refused(problem) }
        var actions: [MasterAction] = []
        let frameworkID: String
        if info.hasID, !info.id.value.isEmpty {
            frameworkID = info.id.value
            if completedFrameworks.contains(where: { $0.id == frameworkID }) {
                return .refused("Framework \(frameworkID) has been removed")
            }
            if var existing = frameworks[frameworkID] {
                if let oldStream = existing.streamID {
                    actions.append(.sendToFramework(frameworkID: frameworkID, .error("Framework failed over")))
                    actions.append(.closeFrameworkStream(streamID: oldStream))
                }
                actions += rescindOffers(of: frameworkID, now: now, notify: false)
                existing.info = info
                existing.streamID = streamID
                existing.reregisteredTime = now
                existing.disconnectedTime = nil
                existing.recovered = false
                frameworks[frameworkID] = existing
                allocator.activateFramework(frameworkID)
            } else {
                frameworks[frameworkID] = FrameworkRecord(info: info, streamID: streamID, registeredTime: now,
                                                          reregisteredTime: now, recovered: false)
                allocator.addFramework(frameworkID, roles: frameworks[frameworkID]?.roles ?? [],
                                       suppressedRoles: Set(subscribe.suppressedRoles))
            }
        } else {
            let (id, counterAction) = newFrameworkID()
            frameworkID = id
            actions.append(counterAction)
            info.id.value = id
            let record = FrameworkRecord(info: info, streamID: streamID, registeredTime: now, recovered: false)
            frameworks[id] = record
            allocator.addFramework(id, roles: record.roles, suppressedRoles: Set(subscribe.suppressedRoles),
                                   minimumAllocatable: info.minimumAllocatable)
        }
        actions.append(.persist(.addFramework(info, registeredTime: frameworks[frameworkID]?.registeredTime ?? now)))
        var subscribed = Fairway_V1_Scheduler_Event()
        subscribed.type = .subscribed
        subscribed.subscribed.frameworkID.value = frameworkID
        subscribed.subscribed.heartbeatIntervalSeconds = configuration.heartbeatInterval
        subscribed.subscribed.masterInfo = masterInfo
        actions.append(.sendToFramework(frameworkID: frameworkID, subscribed))
        actions.append(.sendToFramework(frameworkID: frameworkID, .heartbeat))
        // Agents holding updates for this framework send them again now rather than at their next retry.
        var resend = Fairway_Internal_AgentEvent()
        resend.type = .resendUpdates
        resend.resendUpdates.frameworkID.value = frameworkID
        for agentID in agentsRunning(frameworkID: frameworkID) {
            actions.append(.sendToAgent(agentID: agentID, resend))
        }
        allocationNeeded = true
        return .subscribed(frameworkID: frameworkID, actions: actions)
    }

    /// The subscription stream closed: the framework is disconnected, its offers are rescinded,
    /// and its failover timeout starts.
    public mutating func frameworkDisconnected(frameworkID: String, streamID: String, now: Double) -> [MasterAction] {
        guard var framework = frameworks[frameworkID], framework.streamID == streamID else { return [] }
        framework.streamID = nil
        framework.disconnectedTime = now
        frameworks[frameworkID] = framework
        allocator.deactivateFramework(frameworkID)
        return rescindOffers(of: frameworkID, now: now, notify: false)
    }

    func agentsRunning(frameworkID: String) -> Set<String> {
        Set(frameworks[frameworkID]?.tasks.values.map(\.agentID) ?? [])
    }
}

extension Fairway_V1_Scheduler_Event {
    static let heartbeat: Fairway_V1_Scheduler_Event = {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .heartbeat
        return event
    }()

    static func error(_ message: String) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .error
        event.error.message = message
        return event
    }

    static func update(_ status: Fairway_V1_TaskStatus) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .update
        event.update.status = status
        return event
    }

    static func rescind(_ offerID: String) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .rescind
        event.rescind.offerID.value = offerID
        return event
    }
}

extension Fairway_V1_FrameworkInfo {
    /// The framework's own minimum allocatable quantities (the first role that declares any).
    var minimumAllocatable: [[String: Double]]? {
        for filters in offerFilters.values where filters.hasMinAllocatableResources {
            return filters.minAllocatableResources.quantities.map { quantities in
                quantities.quantities.mapValues(\.value)
            }
        }
        return nil
    }
}
