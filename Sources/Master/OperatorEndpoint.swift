import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation

/// `POST /api/v1`: the Mesos v1 operator API calls Fairway answers, JSON or protobuf.
struct OperatorEndpoint {
    let master: MasterService

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let call: Fairway_V1_Master_Call
        let responseFormat: MessageFormat
        switch RequestChecks.call(Fairway_V1_Master_Call.self, from: request, name: "Call protobuf") {
        case .failure(let rejection): return rejection.response
        case .success(let decoded): (call, responseFormat) = decoded
        }
        guard call.hasType else { return .text(.badRequest, "Failed to validate master::Call: Expecting 'type' to be present") }
        let outcome: OperatorOutcome
        if let read = await OperatorReads(master: master).answer(call, now: Date().timeIntervalSince1970) {
            outcome = read
        } else {
            outcome = await master.operatorCall(call)
        }
        switch outcome {
        case .response(let response):
            return HTTPResponse(status: .ok, headers: ["Content-Type": responseFormat.contentType], body: responseFormat.encode(response))
        case .done:
            return HTTPResponse(status: .ok)
        case .failed(let response):
            return response
        }
    }
}

enum OperatorOutcome {
    case response(Fairway_V1_Master_Response)
    case done
    case failed(HTTPResponse)
}

extension MasterService {
    /// Operator calls that change something; they go through the actor. Reads never get here
    /// (see `OperatorReads`).
    func operatorCall(_ call: Fairway_V1_Master_Call) -> OperatorOutcome {
        guard isReady else { return .failed(.text(.serviceUnavailable, "Master is recovering; try again")) }
        switch call.type {
        case .updateWeights:
            return policyStep { state in state.updateWeights(call.updateWeights.weightInfos) }
        case .updateQuota:
            guard call.hasUpdateQuota else {
                return .failed(.text(.badRequest, "Failed to validate master::Call: Expecting 'update_quota' to be present"))
            }
            return policyStep { state in state.updateQuota(call.updateQuota) }
        case .teardown:
            let frameworkID = call.teardown.frameworkID.value
            guard state.frameworks[frameworkID] != nil else {
                return .failed(.text(.badRequest, "Framework \(frameworkID) cannot be found"))
            }
            _ = step { state, now in ((), state.removeFramework(frameworkID, reason: "torn down by an operator", now: now)) }
            return .done
        default:
            return .failed(.text(.notImplemented, "Operator call \(call.type) is not supported by Fairway yet"))
        }
    }

    private func policyStep(_ body: (inout MasterState) -> Result<[MasterAction], PolicyProblem>) -> OperatorOutcome {
        let problem = step { state, _ -> (PolicyProblem?, [MasterAction]) in
            switch body(&state) {
            case .success(let actions): return (nil, actions)
            case .failure(let problem): return (problem, [])
            }
        } ?? nil
        guard let problem else { return .done }
        return .failed(.text(problem.status, problem.message))
    }

    func flags() -> [Fairway_V1_Master_Response.Flag] {
        var values: [(String, String)] = [
            ("ip", options.ip), ("port", String(port)), ("work_dir", options.workDir),
            ("hostname", options.hostname ?? ""), ("agent_removal_timeout", "\(options.agentRemovalTimeout)secs"),
            ("agent_reregister_timeout", "\(options.agentReregisterTimeout)secs"),
            ("allocation_batch_window", "\(options.allocationBatchWindow)secs"),
            ("weights", options.roleWeights.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")),
            ("fair_sharing_excluded_resource_names", options.fairSharingExcludedResourceNames.sorted().joined(separator: ",")),
            ("fairness_sample_interval", "\(options.fairnessSampleInterval)secs"),
            ("fairness_retention", "\(options.fairnessRetention)secs"),
        ]
        if let timeout = options.offerTimeout { values.append(("offer_timeout", "\(timeout)secs")) }
        return values.map { name, value in
            var flag = Fairway_V1_Master_Response.Flag()
            flag.name = name
            flag.value = value
            return flag
        }
    }
}

/// Operator API views of the master's state, shared by GET_STATE and the individual calls.
enum OperatorViews {
    static func state(_ state: MasterState) -> Fairway_V1_Master_Response.GetState {
        var result = Fairway_V1_Master_Response.GetState()
        result.getTasks = tasks(state)
        result.getFrameworks = frameworks(state)
        result.getAgents = agents(state)
        result.getExecutors = .init()
        return result
    }

    static func agents(_ state: MasterState) -> Fairway_V1_Master_Response.GetAgents {
        var result = Fairway_V1_Master_Response.GetAgents()
        for agent in state.agents.values.sorted(by: { $0.id < $1.id }) {
            var entry = Fairway_V1_Master_Response.GetAgents.Agent()
            entry.agentInfo = agent.info
            entry.active = agent.connected
            entry.version = agent.version
            entry.pid = agent.pid
            entry.registeredTime.nanoseconds = Int64(agent.registeredTime * 1e9)
            if let time = agent.reregisteredTime { entry.reregisteredTime.nanoseconds = Int64(time * 1e9) }
            entry.totalResources = agent.total.proto()
            entry.allocatedResources = state.usedResources(onAgent: agent.id).proto()
            entry.offeredResources = state.offeredResources(onAgent: agent.id).proto()
            result.agents.append(entry)
        }
        result.recoveredAgents = state.recoveredAgents.values.sorted { $0.id.value < $1.id.value }
        return result
    }

    static func frameworks(_ state: MasterState) -> Fairway_V1_Master_Response.GetFrameworks {
        var result = Fairway_V1_Master_Response.GetFrameworks()
        func entry(_ framework: FrameworkRecord, active: Bool) -> Fairway_V1_Master_Response.GetFrameworks.Framework {
            var entry = Fairway_V1_Master_Response.GetFrameworks.Framework()
            entry.frameworkInfo = framework.info
            entry.active = active
            entry.connected = framework.connected
            entry.recovered = framework.recovered
            entry.registeredTime.nanoseconds = Int64(framework.registeredTime * 1e9)
            if let time = framework.reregisteredTime { entry.reregisteredTime.nanoseconds = Int64(time * 1e9) }
            if let time = framework.disconnectedTime { entry.unregisteredTime.nanoseconds = Int64(time * 1e9) }
            entry.offers = framework.offerIDs.sorted().compactMap { state.offers[$0]?.offer }
            entry.allocatedResources = state.usedResources(ofFramework: framework.id).proto()
            entry.offeredResources = state.offeredResources(ofFramework: framework.id).proto()
            return entry
        }
        result.frameworks = state.frameworks.values.sorted { $0.id < $1.id }.map { entry($0, active: $0.connected) }
        result.completedFrameworks = state.completedFrameworks.map { entry($0, active: false) }
        return result
    }

    static func tasks(_ state: MasterState) -> Fairway_V1_Master_Response.GetTasks {
        var result = Fairway_V1_Master_Response.GetTasks()
        for framework in state.frameworks.values.sorted(by: { $0.id < $1.id }) {
            for record in framework.tasks.values.sorted(by: { $0.id < $1.id }) {
                if record.task.state.isTerminal { result.completedTasks.append(record.task) } else { result.tasks.append(record.task) }
            }
            result.completedTasks += framework.completedTasks.map(\.task)
        }
        return result
    }

    static func roles(_ state: MasterState) -> [Fairway_V1_Role] {
        var roleNames = Set(state.allocator.roles).union(state.allocator.roleQuotas.keys)
        for framework in state.frameworks.values { roleNames.formUnion(framework.roles) }
        return roleNames.sorted().map { name in
            var role = Fairway_V1_Role()
            role.name = name
            role.weight = state.allocator.weight(of: name)
            let members = state.frameworks.values.filter { $0.roles.contains(name) }.sorted { $0.id < $1.id }
            role.frameworks = members.map { $0.info.id }
            role.resources = members.reduce(Resources()) { $0 + state.usedResources(ofFramework: $1.id) }.proto()
            return role
        }
    }
}

extension MasterState {
    /// Resources held by live tasks on an agent.
    public func usedResources(onAgent agentID: String) -> Resources {
        (agents[agentID]?.taskKeys ?? []).reduce(Resources()) { sum, key in
            guard let record = frameworks[key.frameworkID]?.tasks[key.taskID], !record.resourcesRecovered else { return sum }
            return sum + record.resources
        }
    }

    public func offeredResources(onAgent agentID: String) -> Resources {
        (agents[agentID]?.offerIDs ?? []).reduce(Resources()) { $0 + (offers[$1]?.resources ?? Resources()) }
    }

    public func usedResources(ofFramework frameworkID: String) -> Resources {
        (frameworks[frameworkID]?.tasks.values).map { tasks in
            tasks.filter { !$0.resourcesRecovered }.reduce(Resources()) { $0 + $1.resources }
        } ?? Resources()
    }

    public func offeredResources(ofFramework frameworkID: String) -> Resources {
        (frameworks[frameworkID]?.offerIDs ?? []).reduce(Resources()) { $0 + (offers[$1]?.resources ?? Resources()) }
    }
}
