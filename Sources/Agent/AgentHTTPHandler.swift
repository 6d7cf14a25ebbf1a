import Foundation
import FairwayHTTP

/// The agent's HTTP routes: `/health`, `/state` (Mesos v0 JSON) and the read-only `/files`
/// endpoints over the sandboxes.
struct AgentHTTPHandler: HTTPHandler {
    let agent: AgentService
    let files: SandboxFiles

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        switch request.path {
        case "/health":
            return .response(HTTPResponse(status: .ok))
        case "/state", "/state.json", "/slave(1)/state", "/slave(1)/state.json":
            return .response(.json(await agent.stateDocument()))
        case "/files/read", "/files/browse", "/files/download", "/files/read.json", "/files/browse.json":
            var normalized = request
            if normalized.path.hasSuffix(".json") {
                normalized.uri = normalized.uri.replacingFirst(".json", with: "")
            }
            return .response(files.handle(normalized))
        default:
            return .response(.text(.notFound, "No such endpoint \(request.path) on this agent; try /state, /health or /files/read"))
        }
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
