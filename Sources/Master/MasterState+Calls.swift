import Allocator
import FairwayCore
import FairwayProto

extension MasterState {
    public mutating func kill(frameworkID: String, _ kill: Fairway_V1_Scheduler_Call.Kill, now: Double) -> [MasterAction] {
        let taskID = kill.taskID.value
        guard let task = task(frameworkID: frameworkID, taskID: taskID) else {
            return [.sendToFramework(frameworkID: frameworkID, .update(masterStatus(
                taskID: taskID, agentID: kill.hasAgentID ? kill.agentID.value : nil, state: .taskLost,
                reason: .reconciliation, message: "Attempted to kill an unknown task", now: now)))]
        }
        guard agents[task.agentID]?.connected == true else { return [] }
        var event = Fairway_Internal_AgentEvent()
        event.type = .killTask
        event.killTask.frameworkID.value = frameworkID
        event.killTask.taskID.value = taskID
        if kill.hasKillPolicy {
            event.killTask.killPolicy = kill.killPolicy
        } else if task.task.hasKillPolicy {
            event.killTask.killPolicy = task.task.killPolicy
        }
        return [.sendToAgent(agentID: task.agentID, event)]
    }

    /// Forwards the acknowledgement to the agent holding the update, and retires a task whose
    /// terminal update has now been acknowledged.
    public mutating func acknowledge(frameworkID: String, _ ack: Fairway_V1_Scheduler_Call.Acknowledge, now: Double) -> [MasterAction] {
        acknowledge(frameworkID: frameworkID, [ack], now: now)
    }

    /// ACKNOWLEDGE for each of `acks` (ACKNOWLEDGE_MANY): the acknowledgements go to each agent in
    /// one event.
    public mutating func acknowledge(frameworkID: String, _ acks: [Fairway_V1_Scheduler_Call.Acknowledge],
                                     now: Double) -> [MasterAction] {
        var byAgent: [String: [Fairway_Internal_AgentEvent.Acknowledge]] = [:]
        var agentOrder: [String] = []
        for ack in acks {
            let taskID = ack.taskID.value
            if var record = frameworks[frameworkID]?.tasks[taskID], record.task.statusUpdateUuid == ack.uuid,
               record.task.statusUpdateState.isTerminal {
                record.task.state = record.task.statusUpdateState
                completeTask(record, now: now)
            }
            let agentID = ack.agentID.value
            guard agents[agentID]?.connected == true else { continue }
            var item = Fairway_Internal_AgentEvent.Acknowledge()
            item.frameworkID.value = frameworkID
            item.taskID.value = taskID
            item.uuid = ack.uuid
            if byAgent[agentID] == nil { agentOrder.append(agentID) }
            byAgent[agentID, default: []].append(item)
        }
        return agentOrder.map { agentID in
            var event = Fairway_Internal_AgentEvent()
            event.type = .acknowledge
            event.acknowledgements = byAgent[agentID] ?? []
            return .sendToAgent(agentID: agentID, event)
        }
    }

    /// Moves a terminal, acknowledged task to the framework's completed list.
    mutating func completeTask(_ record: TaskRecord, now: Double) {
        guard frameworks[record.frameworkID] != nil else { return }
        // Mutate in place: copying a framework record out would copy its whole task table.
        frameworks[record.frameworkID]?.tasks[record.id] = nil
        frameworks[record.frameworkID]?.completedTasks.append(record)
        // Trim in batches so retiring a task does not shift the whole list every time.
        if let count = frameworks[record.frameworkID]?.completedTasks.count, count > FrameworkRecord.maximumCompletedTasks + 100 {
            frameworks[record.frameworkID]?.completedTasks.removeFirst(count - FrameworkRecord.maximumCompletedTasks)
        }
        agents[record.agentID]?.taskKeys.remove(TaskKey(frameworkID: record.frameworkID, taskID: record.id))
        if !record.resourcesRecovered {
            allocator.recover(frameworkID: record.frameworkID, agentID: record.agentID, role: record.role,
                              resources: record.resources, refuseSeconds: nil, now: now)
            allocationNeeded = true
        }
    }

    /// Explicit reconciliation answers for the listed tasks; implicit (empty list) for all live ones.
    public func reconcile(frameworkID: String, _ reconcile: Fairway_V1_Scheduler_Call.Reconcile, now: Double) -> [MasterAction] {
        guard let framework = frameworks[frameworkID] else { return [] }
        var statuses: [Fairway_V1_TaskStatus] = []
        if reconcile.tasks.isEmpty {
            for record in framework.tasks.values.sorted(by: { $0.id < $1.id }) {
                statuses.append(reconciliationStatus(record, now: now))
            }
        } else {
            for query in reconcile.tasks {
                let taskID = query.taskID.value
                if let record = framework.tasks[taskID] {
                    statuses.append(reconciliationStatus(record, now: now))
                } else if let record = framework.completedTasks.last(where: { $0.id == taskID }) {
                    statuses.append(reconciliationStatus(record, now: now))
                } else {
                    let agentID = query.hasAgentID ? query.agentID.value : nil
                    let state: Fairway_V1_TaskState = framework.info.isPartitionAware
                        ? (agentID.map { agents[$0] != nil } == true ? .taskGone : .taskUnknown) : .taskLost
                    statuses.append(masterStatus(taskID: taskID, agentID: agentID, state: state, reason: .reconciliation,
                                                 message: "Reconciliation: task is unknown to the master", now: now))
                }
            }
        }
        return statuses.map { .sendToFramework(frameworkID: frameworkID, .update($0)) }
    }

    private func reconciliationStatus(_ record: TaskRecord, now: Double) -> Fairway_V1_TaskStatus {
        var status = record.task.statuses.last ?? masterStatus(taskID: record.id, agentID: record.agentID, state: record.task.state,
                                                                 reason: nil, message: "", now: now)
        status.state = record.task.state
        status.clearUuid()
        status.source = .master
        status.reason = .reconciliation
        status.message = "Reconciliation: latest task state"
        status.agentID.value = record.agentID
        return status
    }

    public mutating func revive(frameworkID: String, roles: [String]) -> [MasterAction] {
        allocator.revive(frameworkID, roles: roles)
        allocationNeeded = true
        return []
    }

    public mutating func suppress(frameworkID: String, roles: [String]) -> [MasterAction] {
        allocator.suppress(frameworkID, roles: roles)
        return []
    }

    /// REQUEST: the framework's declared pending demand, kept by the allocator.
    public mutating func request(frameworkID: String, _ request: Fairway_V1_Scheduler_Call.Request) -> Result<[MasterAction], TaskProblem> {
        var demand: [DemandEntry] = []
        for entry in request.requests {
            do {
                let resources = try Resources(proto: entry.resources)
                demand.append(DemandEntry(agentID: entry.hasAgentID ? entry.agentID.value : nil, resources: resources))
            } catch {
                return .failure(TaskProblem("Invalid resources in request: \(error.message)"))
            }
        }
        allocator.setDemand(frameworkID, demand)
        allocationNeeded = true
        return .success([])
    }

    /// TEARDOWN (or the failover timeout): kills every task of the framework and forgets it.
    public mutating func removeFramework(_ frameworkID: String, reason: String, now: Double) -> [MasterAction] {
        guard var framework = frameworks.removeValue(forKey: frameworkID) else { return [] }
        var actions: [MasterAction] = []
        for offerID in framework.offerIDs {
            if let offer = offers.removeValue(forKey: offerID) { agents[offer.agentID]?.offerIDs.remove(offerID) }
        }
        framework.offerIDs = []
        var shutdown = Fairway_Internal_AgentEvent()
        shutdown.type = .shutdownFramework
        shutdown.shutdownFramework.frameworkID.value = frameworkID
        for agentID in Set(framework.tasks.values.map(\.agentID)).sorted() where agents[agentID]?.connected == true {
            actions.append(.sendToAgent(agentID: agentID, shutdown))
        }
        for (taskID, var record) in framework.tasks {
            agents[record.agentID]?.taskKeys.remove(TaskKey(frameworkID: frameworkID, taskID: taskID))
            if !record.task.state.isTerminal { record.task.state = .taskKilled }
            framework.completedTasks.append(record)
        }
        framework.tasks = [:]
        counters.offersByFramework[frameworkID] = nil
        allocator.removeFramework(frameworkID)
        allocationNeeded = true
        if let streamID = framework.streamID {
            actions.append(.sendToFramework(frameworkID: frameworkID, .error("Framework removed: \(reason)")))
            actions.append(.closeFrameworkStream(streamID: streamID))
        }
        framework.streamID = nil
        framework.disconnectedTime = now
        completedFrameworks.append(framework)
        if completedFrameworks.count > 100 { completedFrameworks.removeFirst() }
        actions.append(.persist(.removeFramework(id: frameworkID)))
        return actions
    }
}
