import FairwayCore
import FairwayProto

extension MasterState {
    /// ACCEPT: validates the offers and every task against what they hold, launches the valid
    /// tasks on the agent, answers invalid ones with TASK_ERROR (or TASK_DROPPED/TASK_LOST when
    /// the offers themselves are invalid), and returns what was not used with the call's filter.
    public mutating func accept(frameworkID: String, _ accept: Fairway_V1_Scheduler_Call.Accept, now: Double) -> [MasterAction] {
        // Only the info is kept: a copy of the whole record would make the first task added
        // below copy the framework's task table (every ACCEPT would cost O(tasks)).
        guard let frameworkInfo = frameworks[frameworkID]?.info else { return [] }
        var actions: [MasterAction] = []
        let launches = accept.operations.flatMap { operation -> [Fairway_V1_TaskInfo] in
            switch operation.type {
            case .launch: operation.launch.taskInfos
            case .launchGroup: operation.launchGroup.taskGroup.tasks
            default: []
            }
        }

        var accepted: [OfferRecord] = []
        var offerProblem: String?
        for offerID in accept.offerIds.map(\.value) {
            guard let offer = offers[offerID] else {
                offerProblem = offerProblem ?? "Offer \(offerID) is no longer valid"
                continue
            }
            guard offer.frameworkID == frameworkID else {
                offerProblem = offerProblem ?? "Offer \(offerID) belongs to another framework"
                continue
            }
            if let first = accepted.first, first.agentID != offer.agentID {
                offerProblem = offerProblem ?? "Offers \(first.id) and \(offerID) are on different agents"
            }
            if let removed = removeOffer(offerID) { accepted.append(removed) }
        }
        if accept.offerIds.isEmpty { offerProblem = "No offers given to accept" }
        if Set(accept.offerIds.map(\.value)).count != accept.offerIds.count { offerProblem = "An offer id appears twice" }

        guard offerProblem == nil, let first = accepted.first else {
            for offer in accepted {
                allocator.recoverOffer(frameworkID: frameworkID, agentID: offer.agentID, role: offer.role,
                                  resources: offer.resources, refuseSeconds: nil, now: now)
            }
            allocationNeeded = true
            let state: Fairway_V1_TaskState = frameworkInfo.isPartitionAware ? .taskDropped : .taskLost
            for task in launches {
                actions.append(.sendToFramework(frameworkID: frameworkID, .update(masterStatus(
                    taskID: task.taskID.value, agentID: task.agentID.value, state: state, reason: .invalidOffers,
                    message: offerProblem ?? "Invalid offers", now: now))))
            }
            return actions
        }

        let agentID = first.agentID
        let role = first.role
        let offered = accepted.reduce(Resources()) { $0 + $1.resources }
        var remaining = offered
        var runs: [Fairway_Internal_RunTask] = []
        var launchedIDs: Set<String> = []

        for operation in accept.operations {
            switch operation.type {
            case .launch:
                for taskInfo in operation.launch.taskInfos {
                    switch TaskValidation.validate(taskInfo, agentID: agentID, available: remaining,
                                                   isDuplicate: isLive(frameworkID: frameworkID, taskID: taskInfo.taskID.value) || launchedIDs.contains(taskInfo.taskID.value)) {
                    case .failure(let problem):
                        actions.append(.sendToFramework(frameworkID: frameworkID, .update(masterStatus(
                            taskID: taskInfo.taskID.value, agentID: agentID, state: .taskError, reason: .taskInvalid,
                            message: problem.message, now: now))))
                    case .success(let resources):
                        remaining -= resources
                        launchedIDs.insert(taskInfo.taskID.value)
                        addLaunchedTask(taskInfo, frameworkID: frameworkID, agentID: agentID, role: role,
                                        resources: resources, executorID: nil, now: now)
                        var run = Fairway_Internal_RunTask()
                        run.frameworkInfo = frameworkInfo
                        run.task = taskInfo
                        run.task.agentID.value = agentID
                        runs.append(run)
                    }
                }
            case .launchGroup:
                let group = operation.launchGroup
                let duplicate = group.taskGroup.tasks.contains {
                    isLive(frameworkID: frameworkID, taskID: $0.taskID.value) || launchedIDs.contains($0.taskID.value)
                }
                switch TaskValidation.validateGroup(group, agentID: agentID, available: remaining, hasDuplicate: duplicate) {
                case .failure(let problem):
                    for taskInfo in group.taskGroup.tasks {
                        actions.append(.sendToFramework(frameworkID: frameworkID, .update(masterStatus(
                            taskID: taskInfo.taskID.value, agentID: agentID, state: .taskError, reason: .taskGroupInvalid,
                            message: problem.message, now: now))))
                    }
                case .success(let perTask):
                    for (taskInfo, resources) in zip(group.taskGroup.tasks, perTask) {
                        remaining -= resources
                        launchedIDs.insert(taskInfo.taskID.value)
                        addLaunchedTask(taskInfo, frameworkID: frameworkID, agentID: agentID, role: role, resources: resources,
                                        executorID: group.executor.executorID, now: now)
                    }
                    let executorResources = (try? Resources(proto: group.executor.resources)) ?? Resources()
                    remaining -= executorResources
                    var run = Fairway_Internal_RunTask()
                    run.frameworkInfo = frameworkInfo
                    run.executor = group.executor
                    run.executor.frameworkID.value = frameworkID
                    run.taskGroup = group.taskGroup
                    for index in run.taskGroup.tasks.indices { run.taskGroup.tasks[index].agentID.value = agentID }
                    runs.append(run)
                }
            default:
                continue
            }
        }

        counters.count(frameworkID) { $0.accepted += UInt64(accepted.count) }
        allocator.offerAccepted(frameworkID: frameworkID, agentID: agentID, role: role, resources: offered - remaining)
        allocator.recoverOffer(frameworkID: frameworkID, agentID: agentID, role: role, resources: remaining,
                               refuseSeconds: refuseSeconds(accept.hasFilters ? accept.filters : nil), now: now)
        allocationNeeded = true
        if !runs.isEmpty {
            var event = Fairway_Internal_AgentEvent()
            event.type = .runTasks
            event.runTasks.runs = runs
            actions.append(.sendToAgent(agentID: agentID, event))
        }
        return actions
    }

    func isLive(frameworkID: String, taskID: String) -> Bool {
        frameworks[frameworkID]?.tasks[taskID] != nil
    }

    mutating func addLaunchedTask(_ info: Fairway_V1_TaskInfo, frameworkID: String, agentID: String, role: String,
                                  resources: Resources, executorID: Fairway_V1_ExecutorID?, now: Double) {
        var task = Fairway_V1_Task()
        task.name = info.name
        task.taskID = info.taskID
        task.frameworkID.value = frameworkID
        task.agentID.value = agentID
        task.state = .taskStaging
        task.resources = info.resources
        if let executorID { task.executorID = executorID }
        if info.hasLabels { task.labels = info.labels }
        if info.hasHealthCheck { task.healthCheck = info.healthCheck }
        if info.hasKillPolicy { task.killPolicy = info.killPolicy }
        if info.hasContainer { task.container = info.container }
        frameworks[frameworkID]?.tasks[info.taskID.value] = TaskRecord(task: task, resources: resources, role: role)
        agents[agentID]?.taskKeys.insert(TaskKey(frameworkID: frameworkID, taskID: info.taskID.value))
    }

    /// A status update the master itself makes (TASK_ERROR, TASK_LOST, reconciliation): no uuid,
    /// so frameworks need not acknowledge it.
    func masterStatus(taskID: String, agentID: String?, state: Fairway_V1_TaskState, reason: Fairway_V1_TaskStatus.Reason?,
                      message: String, now: Double) -> Fairway_V1_TaskStatus {
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = taskID
        status.state = state
        status.source = .master
        if let reason { status.reason = reason }
        status.message = message
        status.timestamp = now
        if let agentID, !agentID.isEmpty { status.agentID.value = agentID }
        return status
    }
}
