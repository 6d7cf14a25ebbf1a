import FairwayCore
import FairwayHTTP
import FairwayProto

/// The operator API's read calls (GET_*), answered from the last published state on the caller's
/// own task: however often tools poll GET_STATE, the master actor never waits for them.
struct OperatorReads {
    let master: MasterService

    /// The answer to a read call, or nil when `call` changes something (the actor handles those).
    func answer(_ call: Fairway_V1_Master_Call, now: Double) async -> OperatorOutcome? {
        guard Self.isRead(call.type) else { return nil }
        guard let published = await master.published() else {
            return .failed(.text(.serviceUnavailable, "Master is recovering; try again"))
        }
        let state = published.state
        var response = Fairway_V1_Master_Response()
        switch call.type {
        case .getHealth:
            response.type = .getHealth
            response.getHealth.healthy = true
        case .getVersion:
            response.type = .getVersion
            response.getVersion.versionInfo.version = FairwayVersion.mesosCompatible
        case .getFlags:
            response.type = .getFlags
            response.getFlags.flags = published.flags
        case .getMaster:
            response.type = .getMaster
            response.getMaster.masterInfo = state.masterInfo
            response.getMaster.startTime = state.startTime
            response.getMaster.electedTime = state.startTime
        case .getState:
            response.type = .getState
            response.getState = OperatorViews.state(state)
        case .getAgents:
            response.type = .getAgents
            response.getAgents = OperatorViews.agents(state)
        case .getFrameworks:
            response.type = .getFrameworks
            response.getFrameworks = OperatorViews.frameworks(state)
        case .getTasks:
            response.type = .getTasks
            response.getTasks = OperatorViews.tasks(state)
        case .getExecutors:
            response.type = .getExecutors
        case .getRoles:
            response.type = .getRoles
            response.getRoles.roles = OperatorViews.roles(state)
        case .getWeights:
            response.type = .getWeights
            response.getWeights.weightInfos = state.allocator.roles.map { role in
                var info = Fairway_V1_WeightInfo()
                info.role = role
                info.weight = state.allocator.weight(of: role)
                return info
            }
        case .getQuota:
            response.type = .getQuota
            response.getQuota.status = state.quotaStatus
        case .getFairness:
            let request = call.getFairness
            var query = FairnessQuery()
            if request.hasSince { query.since = request.since }
            if request.hasUntil { query.until = request.until }
            switch FairnessResponder(published: published, registry: master.registry).response(query, now: now) {
            case .failure(let problem): return .failed(.text(problem.status, problem.message))
            case .success(let fairness):
                response.type = .getFairness
                response.getFairness = fairness
            }
        default:
            return nil
        }
        return .response(response)
    }

    static func isRead(_ type: Fairway_V1_Master_Call.TypeEnum) -> Bool {
        switch type {
        case .getHealth, .getVersion, .getFlags, .getMaster, .getState, .getAgents, .getFrameworks, .getTasks,
             .getExecutors, .getRoles, .getWeights, .getQuota, .getFairness:
            return true
        default:
            return false
        }
    }
}
