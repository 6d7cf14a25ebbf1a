import FairwayCore
import FairwayProto

/// A framework of the simulation: a backlog of tasks of one shape, launched on the offers it
/// gets (as many as fit, like a batch framework), declined offers it cannot use, updates
/// acknowledged. It speaks the scheduler API's calls; the simulation carries them to the master.
struct SimulatedFramework: Sendable {
    let number: Int
    var name: String { "fw-\(number)" }
    let role: String
    let shape: Resources
    let declaresDemand: Bool
    let demandWindow: Int
    /// `refuse_seconds` sent with declines; nil: the master's default.
    let refuseSeconds: Double?
    /// Assigned by the master at SUBSCRIBE.
    var frameworkID = ""
    /// Tasks not launched yet; nil for an endless backlog.
    var remaining: Int?
    var running = 0
    var launched = 0
    var finished = 0
    /// Ended otherwise than TASK_FINISHED (or refused by the master); put back in the backlog.
    var failed = 0
    var suppressed = false
    var offersReceived = 0
    var offersDeclined = 0
    /// Declared tasks the master still holds: each task launched from an offer retires one (see
    /// REQUEST in scheduler.proto), so the framework tops its declaration up as it launches.
    private(set) var declared = 0

    init(number: Int, role: String, shape: Resources, declaresDemand: Bool, demandWindow: Int, backlog: Int?,
         refuseSeconds: Double? = nil) {
        self.number = number
        self.refuseSeconds = refuseSeconds
        self.role = role
        self.shape = shape
        self.declaresDemand = declaresDemand
        self.demandWindow = demandWindow
        self.remaining = backlog
    }

    var pending: Int { remaining ?? Int.max }

    var frameworkInfo: Fairway_V1_FrameworkInfo {
        var info = Fairway_V1_FrameworkInfo()
        info.user = "sim"
        info.name = name
        info.role = role
        info.failoverTimeout = 3600
        return info
    }

    /// Roles to subscribe suppressed: a declaring framework subscribes suppressed, declares, then
    /// revives, so that even its first offer is sized to its declared tasks.
    var suppressedAtSubscribe: [String] { declaresDemand ? [role] : [] }

    /// Calls right after SUBSCRIBED: REQUEST then REVIVE for a declaring framework.
    mutating func subscribed() -> [Fairway_V1_Scheduler_Call] {
        guard declaresDemand else { return [] }
        return (demandCall(force: true).map { [$0] } ?? []) + [call(.revive)]
    }

    /// Launches as many tasks as fit on each offer (the master returns the unused part) and
    /// declines offers where none fits, with `refuseSeconds` or the master's default refusal.
    mutating func answer(_ offers: [Fairway_V1_Offer]) -> [Fairway_V1_Scheduler_Call] {
        var calls: [Fairway_V1_Scheduler_Call] = []
        for offer in offers {
            offersReceived += 1
            let available = ((try? Resources(proto: offer.resources)) ?? Resources()).unreserved
            let count = min(pending, Self.fitting(shape, in: available))
            guard count > 0 else {
                offersDeclined += 1
                var call = call(.decline)
                call.decline.offerIds = [offer.id]
                if let refuseSeconds { call.decline.filters.refuseSeconds = refuseSeconds }
                calls.append(call)
                continue
            }
            var launch = Fairway_V1_Offer.Operation()
            launch.type = .launch
            launch.launch.taskInfos = (0..<count).map { nextTask(number: launched + $0 + 1, on: offer.agentID) }
            var call = call(.accept)
            call.accept.offerIds = [offer.id]
            call.accept.operations = [launch]
            calls.append(call)
            if remaining != nil { remaining = pending - count }
            running += count
            launched += count
            declared = max(0, declared - count)
        }
        if pending == 0 && !suppressed {
            suppressed = true
            calls.append(call(.suppress))
        }
        if let request = demandCall() { calls.append(request) }
        return calls
    }

    /// Acknowledges updates that carry a uuid, and counts tasks that ended.
    mutating func update(_ status: Fairway_V1_TaskStatus) -> [Fairway_V1_Scheduler_Call] {
        var calls: [Fairway_V1_Scheduler_Call] = []
        if status.state.isTerminal {
            running -= 1
            if status.state == .taskFinished {
                finished += 1
            } else {
                failed += 1
                if let left = remaining { remaining = left + 1 }
                if suppressed {
                    suppressed = false
                    calls.append(call(.revive))
                }
            }
        }
        if !status.uuid.isEmpty {
            var call = call(.acknowledge)
            call.acknowledge.agentID = status.agentID
            call.acknowledge.taskID = status.taskID
            call.acknowledge.uuid = status.uuid
            calls.append(call)
        }
        if let request = demandCall() { calls.append(request) }
        return calls
    }

    /// A REQUEST declaring the next `demandWindow` pending tasks, sent when launches have retired
    /// half of the last declaration or the backlog fell below it (not after every launch).
    private mutating func demandCall(force: Bool = false) -> Fairway_V1_Scheduler_Call? {
        guard declaresDemand, !frameworkID.isEmpty else { return nil }
        let count = min(pending, demandWindow)
        guard force || declared > count || (count > declared && declared * 2 <= count) else { return nil }
        declared = count
        var request = Fairway_V1_Request()
        request.resources = shape.proto()
        var call = call(.request)
        call.request.requests = Array(repeating: request, count: count)
        return call
    }

    private func call(_ type: Fairway_V1_Scheduler_Call.TypeEnum) -> Fairway_V1_Scheduler_Call {
        var call = Fairway_V1_Scheduler_Call()
        call.type = type
        call.frameworkID.value = frameworkID
        return call
    }

    private func nextTask(number: Int, on agentID: Fairway_V1_AgentID) -> Fairway_V1_TaskInfo {
        var task = Fairway_V1_TaskInfo()
        task.name = "\(name) task"
        task.taskID.value = "\(name)-\(number)"
        task.agentID = agentID
        task.resources = shape.proto()
        task.command.value = "sleep"
        return task
    }

    /// How many tasks of `shape` fit in `available` (scalars only).
    static func fitting(_ shape: Resources, in available: Resources) -> Int {
        guard available.contains(shape) else { return 0 }
        var count = Int.max
        for (name, amount) in shape.scalarTotals where amount > 0 {
            count = min(count, Int((available.scalar(name) / amount + 1e-9).rounded(.down)))
        }
        return count == Int.max ? 0 : count
    }
}
