import FairwayProto
import Foundation

/// Builders for the scheduler calls, kept free of I/O so their wire shape can be checked alone.
/// `framework_id` is filled in by the scheduler when the call is sent.
enum SchedulerCalls {
    static func subscribe(_ frameworkInfo: Fairway_V1_FrameworkInfo, suppressedRoles: [String] = []) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .subscribe
        call.subscribe.frameworkInfo = frameworkInfo
        call.subscribe.suppressedRoles = suppressedRoles
        // A resubscription must carry the id in both places, or Mesos rejects it.
        if frameworkInfo.hasID { call.frameworkID = frameworkInfo.id }
        return call
    }

    static func accept(_ offerIDs: [Fairway_V1_OfferID], operations: [Fairway_V1_Offer.Operation],
                       refuseSeconds: Double?) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .accept
        call.accept.offerIds = offerIDs
        call.accept.operations = operations
        if let refuseSeconds { call.accept.filters.refuseSeconds = refuseSeconds }
        return call
    }

    static func launch(_ tasks: [Fairway_V1_TaskInfo]) -> Fairway_V1_Offer.Operation {
        var operation = Fairway_V1_Offer.Operation()
        operation.type = .launch
        operation.launch.taskInfos = tasks
        return operation
    }

    static func launchGroup(executor: Fairway_V1_ExecutorInfo, tasks: [Fairway_V1_TaskInfo]) -> Fairway_V1_Offer.Operation {
        var operation = Fairway_V1_Offer.Operation()
        operation.type = .launchGroup
        operation.launchGroup.executor = executor
        operation.launchGroup.taskGroup.tasks = tasks
        return operation
    }

    static func decline(_ offerIDs: [Fairway_V1_OfferID], refuseSeconds: Double?) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .decline
        call.decline.offerIds = offerIDs
        if let refuseSeconds { call.decline.filters.refuseSeconds = refuseSeconds }
        return call
    }

    static func kill(_ taskID: Fairway_V1_TaskID, agentID: Fairway_V1_AgentID?) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .kill
        call.kill.taskID = taskID
        if let agentID { call.kill.agentID = agentID }
        return call
    }

    /// The ACKNOWLEDGE for a status update, or nil when the update needs none (it has no `uuid`:
    /// it came from the master, for example as an answer to reconciliation) or cannot be
    /// acknowledged (no agent id).
    static func acknowledge(_ status: Fairway_V1_TaskStatus) -> Fairway_V1_Scheduler_Call? {
        guard status.hasUuid, !status.uuid.isEmpty, status.hasAgentID else { return nil }
        var call = Fairway_V1_Scheduler_Call()
        call.type = .acknowledge
        call.acknowledge.agentID = status.agentID
        call.acknowledge.taskID = status.taskID
        call.acknowledge.uuid = status.uuid
        return call
    }

    /// One ACKNOWLEDGE_MANY (Fairway's own) for the updates that carry a uuid; nil when none does.
    static func acknowledge(_ statuses: [Fairway_V1_TaskStatus]) -> Fairway_V1_Scheduler_Call? {
        let acks = statuses.compactMap { acknowledge($0)?.acknowledge }
        guard !acks.isEmpty else { return nil }
        var call = Fairway_V1_Scheduler_Call()
        call.type = .acknowledgeMany
        call.acknowledgeMany.acknowledgements = acks
        return call
    }

    static func reconcile(_ tasks: [(Fairway_V1_TaskID, Fairway_V1_AgentID?)]) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .reconcile
        call.reconcile = Fairway_V1_Scheduler_Call.Reconcile()
        call.reconcile.tasks = tasks.map { taskID, agentID in
            var task = Fairway_V1_Scheduler_Call.Reconcile.Task()
            task.taskID = taskID
            if let agentID { task.agentID = agentID }
            return task
        }
        return call
    }

    static func revive(roles: [String]) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .revive
        call.revive.roles = roles
        return call
    }

    static func suppress(roles: [String]) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .suppress
        call.suppress.roles = roles
        return call
    }

    static func request(_ requests: [Fairway_V1_Request]) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .request
        call.request.requests = requests
        return call
    }

    static func teardown() -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .teardown
        return call
    }
}
