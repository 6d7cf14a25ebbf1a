import FairwayCore
import FairwayProto
@testable import Master

/// Builders for driving `MasterState` directly in tests: frameworks, agents and calls.
enum Fixtures {
    static func masterState(now: Double = 1000) -> MasterState {
        var info = Fairway_V1_MasterInfo()
        info.id = "m1"
        info.port = 5050
        info.hostname = "master"
        return MasterState(configuration: .init(), masterInfo: info, now: now)
    }

    static func subscribe(name: String = "fw", role: String = "*", id: String? = nil,
                          capabilities: [Fairway_V1_FrameworkInfo.Capability.TypeEnum] = [],
                          failoverTimeout: Double = 0) -> Fairway_V1_Scheduler_Call.Subscribe {
        var subscribe = Fairway_V1_Scheduler_Call.Subscribe()
        subscribe.frameworkInfo.user = "root"
        subscribe.frameworkInfo.name = name
        subscribe.frameworkInfo.role = role
        subscribe.frameworkInfo.failoverTimeout = failoverTimeout
        if let id { subscribe.frameworkInfo.id.value = id }
        subscribe.frameworkInfo.capabilities = capabilities.map { type in
            var capability = Fairway_V1_FrameworkInfo.Capability()
            capability.type = type
            return capability
        }
        return subscribe
    }

    static func register(hostname: String = "host", resources: String, id: String? = nil,
                         tasks: [Fairway_Internal_FrameworkTasks] = []) -> Fairway_Internal_AgentCall.Register {
        var register = Fairway_Internal_AgentCall.Register()
        register.agentInfo.hostname = hostname
        register.agentInfo.port = 5051
        register.agentInfo.resources = (try? Resources(parsing: resources))?.proto() ?? []
        if let id { register.agentInfo.id.value = id }
        register.frameworks = tasks
        register.version = "1.11.0"
        return register
    }

    static func task(_ id: String, agentID: String, cpus: Double, mem: Double, command: String = "true") -> Fairway_V1_TaskInfo {
        var task = Fairway_V1_TaskInfo()
        task.name = id
        task.taskID.value = id
        task.agentID.value = agentID
        task.resources = Resources(scalars: ["cpus": cpus, "mem": mem]).proto()
        task.command.value = command
        return task
    }

    static func accept(_ offerIDs: [String], tasks: [Fairway_V1_TaskInfo], refuseSeconds: Double? = nil) -> Fairway_V1_Scheduler_Call.Accept {
        var accept = Fairway_V1_Scheduler_Call.Accept()
        accept.offerIds = offerIDs.map { id in
            var offerID = Fairway_V1_OfferID()
            offerID.value = id
            return offerID
        }
        var operation = Fairway_V1_Offer.Operation()
        operation.type = .launch
        operation.launch.taskInfos = tasks
        accept.operations = [operation]
        if let refuseSeconds { accept.filters.refuseSeconds = refuseSeconds }
        return accept
    }

    static func statusUpdate(frameworkID: String, taskID: String, agentID: String, state: Fairway_V1_TaskState,
                             uuid: [UInt8] = Array(repeating: 7, count: 16)) -> Fairway_Internal_StatusUpdate {
        var update = Fairway_Internal_StatusUpdate()
        update.frameworkID.value = frameworkID
        update.status.taskID.value = taskID
        update.status.agentID.value = agentID
        update.status.state = state
        update.status.uuid = Data(uuid)
        update.latestState = state
        return update
    }
}

import Foundation

extension Array where Element == MasterAction {
    /// Events sent to one framework, in order.
    func events(to frameworkID: String) -> [Fairway_V1_Scheduler_Event] {
        compactMap { action in
            if case .sendToFramework(let id, let event) = action, id == frameworkID { return event }
            return nil
        }
    }

    func agentEvents(to agentID: String) -> [Fairway_Internal_AgentEvent] {
        compactMap { action in
            if case .sendToAgent(let id, let event) = action, id == agentID { return event }
            return nil
        }
    }

    var offers: [Fairway_V1_Offer] { flatMap { action -> [Fairway_V1_Offer] in
        if case .sendToFramework(_, let event) = action, event.type == .offers { return event.offers.offers }
        return []
    } }

    var statuses: [Fairway_V1_TaskStatus] { flatMap { action -> [Fairway_V1_TaskStatus] in
        if case .sendToFramework(_, let event) = action, event.type == .update { return [event.update.status] }
        return []
    } }
}

extension MasterState {
    /// Subscribes and returns the new framework id; fails the test by returning "" if refused.
    mutating func subscribeFramework(_ subscribe: Fairway_V1_Scheduler_Call.Subscribe, stream: String, now: Double) -> String {
        if case .subscribed(let id, _) = self.subscribe(subscribe, streamID: stream, now: now) { return id }
        return ""
    }

    mutating func addAgent(_ register: Fairway_Internal_AgentCall.Register, stream: String, now: Double) -> String {
        if case .registered(let id, _) = registerAgent(register, streamID: stream, now: now) { return id }
        return ""
    }
}
