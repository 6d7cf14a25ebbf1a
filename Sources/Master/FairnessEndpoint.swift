import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation

/// `GET /fairness[?since=30m[&until=...]]`: the fairness view as JSON, in the shape of
/// `Response.GetFairness` (`{"report": {...}, "history": {"samples": [...]}}`, history only with
/// `since`). Rendered from the published state, off the master actor.
struct FairnessEndpoint {
    let registry: Registry

    func handle(_ request: HTTPRequest, published: PublishedMaster?) -> HTTPResponse {
        if let refusal = RequestChecks.methodRefusal(request, allowed: .GET) { return refusal }
        guard let master = published else { return .text(.serviceUnavailable, "Master is recovering; try again") }
        let now = Date().timeIntervalSince1970
        let query: FairnessQuery
        switch FairnessQuery.parse(request.query, now: now) {
        case .failure(let problem): return .text(problem.status, problem.message)
        case .success(let value): query = value
        }
        switch FairnessResponder(published: master, registry: registry).response(query, now: now) {
        case .failure(let problem): return .text(problem.status, problem.message)
        case .success(let fairness): return .json(MesosJSON.encode(fairness))
        }
    }
}
