import FairwayCore
import FairwayProto

/// The outcome of an agent's REGISTER: its id and the actions, or a refusal the agent must act on.
public enum AgentRegistrationOutcome: Sendable {
    case registered(agentID: String, actions: [MasterAction])
    /// The agent is unknown (removed while away): it must kill its tasks and register as new.
    case shutdown(String)
    case invalid(String)
}

extension MasterState {
    public mutating func registerAgent(_ register: Fairway_Internal_AgentCall.Register, streamID: String,
                                       now: Double) -> AgentRegistrationOutcome {
        var info = register.agentInfo
        let address = register.address.isEmpty ? nil : register.address
        let total: Resources
        do {
            total = try Resources(proto: info.resources)
        } catch {
            return .invalid("Agent resources are invalid: \(error.message)")
        }
        var actions: [MasterAction] = []
        let agentID: String
        let requestedID = info.hasID ? info.id.value : ""
        if requestedID.isEmpty {
            let (id, counter) = newAgentID()
            agentID = id
            actions.append(counter)
            info.id.value = id
            agents[id] = AgentRecord(info: info, address: address, total: total, streamID: streamID, registeredTime: now,
                                     version: register.version)
            actions.append(.persist(.admitAgent(info)))
        } else if var existing = agents[requestedID] {
            agentID = requestedID
            if let oldStream = existing.streamID {
                actions.append(.closeAgentStream(streamID: oldStream))
                actions += rescindAgentOffers(agentID, now: now)
                allocator.removeAgent(agentID)
            }
            existing.info = info
            existing.address = address
            existing.total = total
            existing.streamID = streamID
            existing.reregisteredTime = now
            existing.disconnectedTime = nil
            existing.version = register.version
            agents[agentID] = existing
            actions.append(.persist(.admitAgent(info)))
        } else if recoveredAgents.removeValue(forKey: requestedID) != nil {
            agentID = requestedID
            agents[agentID] = AgentRecord(info: info, address: address, total: total, streamID: streamID, registeredTime: now,
                                          reregisteredTime: now, version: register.version)
            actions.append(.persist(.admitAgent(info)))
        } else {
            return .shutdown("Agent \(requestedID) is not known to this master (it was removed); register again as a new agent")
        }

        allocator.addAgent(agentID, total: total)
        actions += reconcileReportedTasks(agentID: agentID, reported: register.frameworks, now: now)

        var registered = Fairway_Internal_AgentEvent()
        registered.type = .registered
        registered.registered.agentID.value = agentID
        registered.registered.masterInfo = masterInfo
        registered.registered.streamID = streamID
        registered.registered.heartbeatIntervalSeconds = configuration.heartbeatInterval
        actions.insert(.sendToAgent(agentID: agentID, registered), at: 0)
        allocationNeeded = true
        return .registered(agentID: agentID, actions: actions)
    }

    /// Brings the master's view of an agent's tasks in line with what the agent reports: tasks the
    /// master did not know (after a master restart) are adopted; tasks it launched there that the
    /// agent does not have are lost.
    private mutating func reconcileReportedTasks(agentID: String, reported: [Fairway_Internal_FrameworkTasks], now: Double) -> [MasterAction] {
        var actions: [MasterAction] = []
        var reportedKeys: Set<TaskKey> = []
        for entry in reported {
            let frameworkID = entry.frameworkInfo.id.value
            guard !frameworkID.isEmpty else { continue }
            if completedFrameworks.contains(where: { $0.id == frameworkID }) {
                var shutdown = Fairway_Internal_AgentEvent()
                shutdown.type = .shutdownFramework
                shutdown.shutdownFramework.frameworkID.value = frameworkID
                actions.append(.sendToAgent(agentID: agentID, shutdown))
                continue
            }
            if frameworks[frameworkID] == nil {
                // Known only through its tasks: keep it disconnected so it can fail over to us.
                let record = FrameworkRecord(info: entry.frameworkInfo, streamID: nil, registeredTime: now,
                                             disconnectedTime: now, recovered: true)
                frameworks[frameworkID] = record
                allocator.addFramework(frameworkID, roles: record.roles, active: false)
                actions.append(.persist(.addFramework(entry.frameworkInfo, registeredTime: now)))
            }
            for reportedTask in entry.tasks {
                let key = TaskKey(frameworkID: frameworkID, taskID: reportedTask.taskID.value)
                reportedKeys.insert(key)
                let resources = (try? Resources(proto: reportedTask.resources)) ?? Resources()
                var record = frameworks[frameworkID]?.tasks[key.taskID]
                    ?? TaskRecord(task: reportedTask, resources: resources,
                                  role: frameworks[frameworkID]?.roles.first ?? "*")
                record.task.state = reportedTask.state
                record.task.agentID.value = agentID
                record.resourcesRecovered = reportedTask.state.isTerminal
                if !record.resourcesRecovered {
                    allocator.allocateUsed(frameworkID: frameworkID, agentID: agentID, role: record.role, resources: record.resources)
                }
                frameworks[frameworkID]?.tasks[key.taskID] = record
                agents[agentID]?.taskKeys.insert(key)
            }
        }
        let missing = (agents[agentID]?.taskKeys ?? []).subtracting(reportedKeys)
        for key in missing.sorted(by: { ($0.frameworkID, $0.taskID) < ($1.frameworkID, $1.taskID) }) {
            guard var record = frameworks[key.frameworkID]?.tasks[key.taskID] else { continue }
            record.task.state = .taskLost
            record.resourcesRecovered = true
            let status = masterStatus(taskID: key.taskID, agentID: agentID, state: .taskLost, reason: .reconciliation,
                                      message: "Task was not found on agent \(agentID) when it re-registered", now: now)
            record.task.statuses.append(status)
            frameworks[key.frameworkID]?.tasks[key.taskID] = record
            completeTask(record, now: now)
            actions.append(.sendToFramework(frameworkID: key.frameworkID, .update(status)))
        }
        return actions
    }

    /// Status updates from an agent: record the task's latest state, free its resources when it
    /// ends, and forward each update to its framework for acknowledgement.
    public mutating func agentStatusUpdates(agentID: String, streamID: String, _ updates: [Fairway_Internal_StatusUpdate],
                                           now: Double) -> Result<[MasterAction], TaskProblem> {
        guard let agent = agents[agentID] else { return .failure(TaskProblem("Agent \(agentID) is not registered")) }
        guard agent.streamID == streamID else {
            return .failure(TaskProblem("Stale agent stream for \(agentID); register again"))
        }
        var actions: [MasterAction] = []
        var orphanAcks: [Fairway_Internal_AgentEvent.Acknowledge] = []
        for update in updates {
            let frameworkID = update.frameworkID.value
            let status = update.status
            guard frameworks[frameworkID] != nil else {
                // The framework is gone: acknowledge for it so the agent stops resending.
                var ack = Fairway_Internal_AgentEvent.Acknowledge()
                ack.frameworkID = update.frameworkID
                ack.taskID = status.taskID
                ack.uuid = status.uuid
                orphanAcks.append(ack)
                continue
            }
            if var record = frameworks[frameworkID]?.tasks[status.taskID.value] {
                let latest = update.hasLatestState ? update.latestState : status.state
                record.task.state = latest
                record.task.statusUpdateState = status.state
                record.task.statusUpdateUuid = status.uuid
                record.task.statuses.append(status)
                if record.task.statuses.count > 8 { record.task.statuses.removeFirst(record.task.statuses.count - 8) }
                if latest.isTerminal && !record.resourcesRecovered {
                    record.resourcesRecovered = true
                    allocator.recover(frameworkID: frameworkID, agentID: agentID, role: record.role, resources: record.resources,
                                      refuseSeconds: nil, now: now)
                    allocationNeeded = true
                }
                frameworks[frameworkID]?.tasks[status.taskID.value] = record
                if status.uuid.isEmpty && status.state.isTerminal { completeTask(record, now: now) }
            }
            actions.append(.sendToFramework(frameworkID: frameworkID, .update(status)))
        }
        if !orphanAcks.isEmpty {
            var event = Fairway_Internal_AgentEvent()
            event.type = .acknowledge
            event.acknowledgements = orphanAcks
            actions.append(.sendToAgent(agentID: agentID, event))
        }
        return .success(actions)
    }

    /// The agent's channel closed. Its offers are rescinded; its tasks are kept until it comes back
    /// or `agentRemovalTimeout` passes.
    public mutating func agentDisconnected(agentID: String, streamID: String, now: Double) -> [MasterAction] {
        guard var agent = agents[agentID], agent.streamID == streamID else { return [] }
        agent.streamID = nil
        agent.disconnectedTime = now
        agents[agentID] = agent
        let actions = rescindAgentOffers(agentID, now: now)
        allocator.removeAgent(agentID)
        return actions
    }

    mutating func rescindAgentOffers(_ agentID: String, now: Double) -> [MasterAction] {
        (agents[agentID]?.offerIDs ?? []).sorted().flatMap { rescindOffer($0, now: now, notify: true) }
    }

    /// Removes an agent for good: its tasks are lost (unreachable for partition-aware frameworks)
    /// and every framework hears of it through a FAILURE event.
    public mutating func removeAgent(_ agentID: String, reason: String, now: Double) -> [MasterAction] {
        guard let agent = agents.removeValue(forKey: agentID) else { return [] }
        var actions: [MasterAction] = []
        for offerID in agent.offerIDs.sorted() {
            if let offer = offers.removeValue(forKey: offerID) {
                frameworks[offer.frameworkID]?.offerIDs.remove(offerID)
                counters.count(offer.frameworkID) { $0.rescinded += 1 }
                actions.append(.sendToFramework(frameworkID: offer.frameworkID, .rescind(offerID)))
            }
        }
        allocator.removeAgent(agentID)
        for key in agent.taskKeys.sorted(by: { ($0.frameworkID, $0.taskID) < ($1.frameworkID, $1.taskID) }) {
            // No copy of the framework record is held across the changes below (it would make each
            // of them copy the framework's task table).
            guard let partitionAware = frameworks[key.frameworkID]?.info.isPartitionAware,
                  var record = frameworks[key.frameworkID]?.tasks[key.taskID] else { continue }
            let state: Fairway_V1_TaskState = partitionAware ? .taskUnreachable : .taskLost
            let status = masterStatus(taskID: key.taskID, agentID: agentID, state: state, reason: .agentRemoved,
                                      message: "Agent \(agentID) (\(agent.info.hostname)) was removed: \(reason)", now: now)
            record.task.state = state == .taskUnreachable ? .taskLost : state
            record.task.statuses.append(status)
            record.resourcesRecovered = true
            frameworks[key.frameworkID]?.tasks[key.taskID] = nil
            frameworks[key.frameworkID]?.completedTasks.append(record)
            actions.append(.sendToFramework(frameworkID: key.frameworkID, .update(status)))
        }
        var failure = Fairway_V1_Scheduler_Event()
        failure.type = .failure
        failure.failure.agentID.value = agentID
        for frameworkID in frameworks.keys.sorted() where frameworks[frameworkID]?.connected == true {
            actions.append(.sendToFramework(frameworkID: frameworkID, failure))
        }
        if let streamID = agent.streamID { actions.append(.closeAgentStream(streamID: streamID)) }
        actions.append(.persist(.removeAgent(id: agentID)))
        allocationNeeded = true
        return actions
    }

    /// Timeouts: frameworks past their failover timeout, agents away too long, agents from before a
    /// restart that never came back, offers unanswered past the offer timeout, and offer filters
    /// that expired.
    public mutating func tick(now: Double) -> [MasterAction] {
        var actions: [MasterAction] = []
        for (frameworkID, framework) in frameworks.sorted(by: { $0.key < $1.key }) {
            guard let since = framework.disconnectedTime, !framework.connected else { continue }
            if now - since >= framework.info.failoverTimeout {
                actions += removeFramework(frameworkID, reason: "failover timeout of \(framework.info.failoverTimeout) s passed", now: now)
            }
        }
        for (agentID, agent) in agents.sorted(by: { $0.key < $1.key }) {
            guard let since = agent.disconnectedTime, !agent.connected else { continue }
            if now - since >= configuration.agentRemovalTimeout {
                actions += removeAgent(agentID, reason: "disconnected for more than \(configuration.agentRemovalTimeout) s", now: now)
            }
        }
        if now - startTime >= configuration.agentReregisterTimeout {
            for agentID in recoveredAgents.keys.sorted() {
                recoveredAgents[agentID] = nil
                actions.append(.persist(.removeAgent(id: agentID)))
            }
        }
        actions += rescindExpiredOffers(now: now)
        if let expiry = allocator.nextFilterExpiry, expiry <= now { allocationNeeded = true }
        return actions
    }
}
