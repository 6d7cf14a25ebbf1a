import FairwayCore
import Foundation
import FairwayHTTP
import FairwayProto
import NIOCore
import NIOHTTP1

extension SchedulerLink {
    /// Accepts offers with any operations. Resources of the offers left unused count as declined
    /// for `refuseSeconds` (the master's default, 5 s, when nil).
    public func accept(_ offerIDs: [Fairway_V1_OfferID], operations: [Fairway_V1_Offer.Operation],
                       refuseSeconds: Double? = nil) async throws {
        try await send(SchedulerCalls.accept(offerIDs, operations: operations, refuseSeconds: refuseSeconds))
    }

    /// Launches `tasks` on the offer's agent: an ACCEPT with one LAUNCH operation. Each task's
    /// `agent_id` must be the offer's; see `Fairway_V1_TaskInfo.command(...)`.
    public func launch(_ offer: Fairway_V1_Offer, tasks: [Fairway_V1_TaskInfo], refuseSeconds: Double? = nil) async throws {
        try await accept([offer.id], operations: [SchedulerCalls.launch(tasks)], refuseSeconds: refuseSeconds)
    }

    /// Launches `tasks` as one group under `executor` (LAUNCH_GROUP): they start and stop together.
    /// The executor's `framework_id` is filled in when missing.
    public func launchGroup(_ offer: Fairway_V1_Offer, executor: Fairway_V1_ExecutorInfo, tasks: [Fairway_V1_TaskInfo]) async throws {
        var executor = executor
        if !executor.hasFrameworkID, let frameworkID { executor.frameworkID = frameworkID }
        try await accept([offer.id], operations: [SchedulerCalls.launchGroup(executor: executor, tasks: tasks)])
    }

    /// Launches several groups on one offer in a single ACCEPT (one LAUNCH_GROUP operation each), so
    /// a framework that packs many pods onto an agent pays one call, not one per pod.
    public func launchGroups(_ offer: Fairway_V1_Offer, groups: [(executor: Fairway_V1_ExecutorInfo, tasks: [Fairway_V1_TaskInfo])],
                             refuseSeconds: Double? = nil) async throws {
        let operations = groups.map { group in
            var executor = group.executor
            if !executor.hasFrameworkID, let frameworkID { executor.frameworkID = frameworkID }
            return SchedulerCalls.launchGroup(executor: executor, tasks: group.tasks)
        }
        try await accept([offer.id], operations: operations, refuseSeconds: refuseSeconds)
    }

    /// Declines offers; the master will not offer those resources again for `refuseSeconds`
    /// (its default, 5 s, when nil).
    public func decline(_ offerIDs: [Fairway_V1_OfferID], refuseSeconds: Double? = nil) async throws {
        try await send(SchedulerCalls.decline(offerIDs, refuseSeconds: refuseSeconds))
    }

    /// Kills a task; its final state arrives as an UPDATE (TASK_KILLED, or TASK_LOST if unknown).
    public func kill(_ taskID: Fairway_V1_TaskID, agentID: Fairway_V1_AgentID? = nil) async throws {
        try await send(SchedulerCalls.kill(taskID, agentID: agentID))
    }

    /// Acknowledges a status update so the agent stops retrying it. Only needed with
    /// `implicitAcknowledgements` off. Updates without a `uuid` need no acknowledgement; for them
    /// this does nothing.
    public func acknowledge(_ status: Fairway_V1_TaskStatus) async throws {
        guard let call = SchedulerCalls.acknowledge(status) else { return }
        try await send(call)
    }

    /// Acknowledges several status updates in one call (ACKNOWLEDGE_MANY, a Fairway extension: a
    /// Mesos master would refuse it). Updates without a `uuid` are skipped.
    public func acknowledge(_ statuses: [Fairway_V1_TaskStatus]) async throws {
        guard let call = SchedulerCalls.acknowledge(statuses) else { return }
        try await send(call)
    }

    /// Asks the master for the latest state of the given tasks, which arrives as UPDATE events.
    /// An empty list reconciles every task of the framework (implicit reconciliation).
    public func reconcile(_ tasks: [(Fairway_V1_TaskID, Fairway_V1_AgentID?)]) async throws {
        try await send(SchedulerCalls.reconcile(tasks))
    }

    /// Resumes offers for the roles (all of the framework's roles when empty) and clears filters.
    public func revive(roles: [String] = []) async throws {
        try await send(SchedulerCalls.revive(roles: roles))
    }

    /// Stops offers for the roles (all when empty) until `revive`.
    public func suppress(roles: [String] = []) async throws {
        try await send(SchedulerCalls.suppress(roles: roles))
    }

    /// Declares the framework's pending demand, one entry per task shape; Fairway's allocator uses
    /// it to size offers. An empty list clears it.
    public func request(_ requests: [Fairway_V1_Request]) async throws {
        try await send(SchedulerCalls.request(requests))
    }

}

extension Scheduler {
    /// Removes the framework: the master kills its tasks and forgets it. The subscription closes
    /// and the event sequence ends.
    public func teardown() async throws {
        tearingDown = true
        do {
            try await send(SchedulerCalls.teardown())
        } catch {
            tearingDown = false
            throw error
        }
        finishing = true
        if let task = runTask {
            task.cancel()
            await task.value
        } else {
            finish()
        }
    }

    /// Sends a call on its own connection with the subscription's stream id and framework id.
    public func send(_ call: Fairway_V1_Scheduler_Call) async throws {
        guard let streamID, let frameworkID else {
            let reason = finished ? "the scheduler has stopped"
                : "not subscribed to the master at \(master) (wait for the .subscribed event)"
            throw SchedulerCallError(call: call.type, status: 0, message: reason)
        }
        var call = call
        call.frameworkID = frameworkID
        let format = configuration.format
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        headers.add(name: "Accept", value: format.contentType)
        headers.add(name: "Mesos-Stream-Id", value: streamID)
        let target = master
        let result: HTTPCallResult
        do {
            result = try await HTTPCalls.post("http://\(target)/api/v1/scheduler", body: format.encode(call), headers: headers,
                                              timeout: .milliseconds(Int64(configuration.callTimeout * 1000)),
                                              client: SchedulerHTTP.client)
        } catch {
            throw SchedulerCallError(call: call.type, status: 0,
                                     message: "cannot reach the master at \(target): \(TransportErrors.describe(error))")
        }
        let code = Int(result.status.code)
        guard (200..<300).contains(code) else {
            let text = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SchedulerCallError(call: call.type, status: code, message: text.isEmpty ? result.status.reasonPhrase : text)
        }
    }
}
