import FairwayCore
import FairwayProto
import Master

/// Handling one event: the master's side mirrors what `MasterService` does with a call, an agent
/// message or a timer; the agents' and frameworks' sides are the simulated ones.
extension Simulation {
    mutating func handle(_ event: SimulationEvent) {
        switch event {
        case .toFramework(let index, let event):
            deliver(event, toFramework: index)
        case .toMaster(let index, let call):
            masterReceives(call, from: index)
        case .toAgent(let index, let event):
            deliver(event, toAgent: index)
        case .statusUpdates(let index, let updates):
            let agent = agents[index]
            switch master.agentStatusUpdates(agentID: agent.agentID, streamID: agent.streamID, updates, now: now) {
            case .success(let actions): perform(actions)
            case .failure: recorder.refusedUpdates += updates.count
            }
        case .taskEnds(let index, let frameworkID, let taskID):
            if let update = agents[index].finish(.init(frameworkID: frameworkID, taskID: taskID), now: now) {
                send([update], from: index)
            }
        case .allocate:
            allocate()
        case .tick:
            perform(master.tick(now: now))
            queue.schedule(.tick, at: now + Self.tickInterval)
        case .sample:
            sample()
        }
    }

    // MARK: Master

    /// The scheduler calls the simulated frameworks make, handled as MasterService does.
    private mutating func masterReceives(_ call: Fairway_V1_Scheduler_Call, from index: Int) {
        let frameworkID = frameworks[index].frameworkID
        switch call.type {
        case .accept: perform(master.accept(frameworkID: frameworkID, call.accept, now: now))
        case .decline: perform(master.decline(frameworkID: frameworkID, call.decline, now: now))
        case .acknowledge: perform(master.acknowledge(frameworkID: frameworkID, call.acknowledge, now: now))
        case .suppress: perform(master.suppress(frameworkID: frameworkID, roles: call.suppress.roles))
        case .revive: perform(master.revive(frameworkID: frameworkID, roles: call.revive.roles))
        case .request:
            switch master.request(frameworkID: frameworkID, call.request) {
            case .success(let actions): perform(actions)
            case .failure: recorder.refusedCalls += 1
            }
        default:
            recorder.refusedCalls += 1
        }
    }

    /// Carries out the master's actions: events travel to frameworks and agents with the message
    /// delay; stream closes and registry writes have no simulated counterpart.
    mutating func perform(_ actions: [MasterAction]) {
        for action in actions {
            switch action {
            case .sendToFramework(let frameworkID, let event):
                guard let index = frameworkIndex[frameworkID] else { continue }
                queue.schedule(.toFramework(framework: index, event), at: now + configuration.messageDelay)
            case .sendToAgent(let agentID, let event):
                guard let index = agentIndex[agentID] else { continue }
                queue.schedule(.toAgent(agent: index, event), at: now + configuration.messageDelay)
            case .closeFrameworkStream, .closeAgentStream, .persist:
                continue
            }
        }
        scheduleAllocationIfNeeded()
    }

    /// Like MasterService: one pass `allocationBatchWindow` after the first event that needs one.
    mutating func scheduleAllocationIfNeeded() {
        guard master.allocationNeeded, !allocationScheduled else { return }
        allocationScheduled = true
        queue.schedule(.allocate, at: now + configuration.allocationBatchWindow)
    }

    /// One allocation pass, timed on the wall clock (the only thing that is).
    private mutating func allocate() {
        allocationScheduled = false
        let clock = ContinuousClock()
        let start = clock.now
        let actions = master.allocate(now: now)
        let elapsed = clock.now - start
        recorder.recordPass(elapsed, offers: actions.reduce(0) { count, action in
            if case .sendToFramework(_, let event) = action { return count + event.offers.offers.count }
            return count
        })
        perform(actions)
    }

    // MARK: Frameworks

    private mutating func deliver(_ event: Fairway_V1_Scheduler_Event, toFramework index: Int) {
        let calls: [Fairway_V1_Scheduler_Call]
        switch event.type {
        case .subscribed: calls = frameworks[index].subscribed()
        case .offers: calls = frameworks[index].answer(event.offers.offers)
        case .update: calls = frameworks[index].update(event.update.status)
        default: calls = []
        }
        for call in calls {
            queue.schedule(.toMaster(framework: index, call), at: now + configuration.messageDelay)
        }
    }

    // MARK: Agents

    private mutating func deliver(_ event: Fairway_Internal_AgentEvent, toAgent index: Int) {
        switch event.type {
        case .runTasks:
            let (updates, started) = agents[index].run(event.runTasks.runs, now: now)
            for key in started {
                let duration = random.uniform(configuration.taskDuration)
                queue.schedule(.taskEnds(agent: index, frameworkID: key.frameworkID, taskID: key.taskID), at: now + duration)
            }
            send(updates, from: index)
        case .killTask:
            let key = SimulatedAgent.TaskKey(frameworkID: event.killTask.frameworkID.value, taskID: event.killTask.taskID.value)
            if let update = agents[index].kill(key, now: now) { send([update], from: index) }
        case .shutdownFramework:
            send(agents[index].shutdown(frameworkID: event.shutdownFramework.frameworkID.value, now: now), from: index)
        default:
            break
        }
    }

    private mutating func send(_ updates: [Fairway_Internal_StatusUpdate], from index: Int) {
        guard !updates.isEmpty else { return }
        queue.schedule(.statusUpdates(agent: index, updates), at: now + configuration.messageDelay)
    }
}
