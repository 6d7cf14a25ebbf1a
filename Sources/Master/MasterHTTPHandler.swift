import FairwayCore
import FairwayHTTP
import NIOHTTP1

/// Routes the master's HTTP endpoints. Paths follow Mesos, including its `/master/...` aliases
/// and the `/api/v1/operator` spelling pymesos uses.
struct MasterHTTPHandler: HTTPHandler {
    let master: MasterService

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        var path = request.path
        if path.hasPrefix("/master/") { path = String(path.dropFirst("/master".count)) }
        switch path {
        case "/api/v1/scheduler":
            return await SchedulerEndpoint(master: master).handle(request)
        case "/api/v1", "/api/v1/operator":
            return .response(await OperatorEndpoint(master: master).handle(request))
        case "/internal/agent":
            return await AgentEndpoint(master: master).handle(request)
        case "/version":
            return .response(.json(VersionJSON.body()))
        case "/health":
            return .response(HTTPResponse(status: .ok))
        case "/state", "/state.json":
            return .response(StateJSON.response(await master.published()))
        case "/fairness":
            return .response(FairnessEndpoint(registry: master.registry).handle(request, published: await master.published()))
        case "/metrics":
            return .response(MetricsEndpoint().handle(request, published: await master.published()))
        case "/", "/master":
            return .response(.text(.ok, "Fairway master. API: POST /api/v1/scheduler, POST /api/v1; state: GET /master/state; GET /fairness; GET /metrics\n"))
        default:
            return .response(.text(.notFound, "No such endpoint: \(request.path)"))
        }
    }
}
