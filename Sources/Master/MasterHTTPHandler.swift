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
            return .response(await master.stateJSON())
        case "/", "/master":
            return .response(.text(.ok, "Fairway master. API: POST /api/v1/scheduler, POST /api/v1; state: GET /master/state\n"))
        default:
            return .response(.text(.notFound, "No such endpoint: \(request.path)"))
        }
    }
}

/// A request refused before it reaches the state machine, with the reply to send.
struct RejectedRequest: Error {
    var response: HTTPResponse
}

/// Checks Mesos applies to the API endpoints: POST only, an exact content type.
enum RequestChecks {
    static func postBody(_ request: HTTPRequest) -> Result<MessageFormat, RejectedRequest> {
        guard request.method == .POST else {
            var response = HTTPResponse.text(.methodNotAllowed, "Expecting one of { 'POST' }, but received '\(request.method.rawValue)'")
            response.headers.add(name: "Allow", value: "POST")
            return .failure(RejectedRequest(response: response))
        }
        guard let contentType = request.header("Content-Type") else {
            return .failure(RejectedRequest(response: .text(.badRequest, "Expecting 'Content-Type' to be present")))
        }
        guard let format = MessageFormat(rawValue: contentType.trimmingCharacters(in: .whitespaces)) else {
            return .failure(RejectedRequest(response: .text(.unsupportedMediaType,
                "Expecting 'Content-Type' of application/json or application/x-protobuf, got '\(contentType)'")))
        }
        return .success(format)
    }

    /// The response format a client accepts: JSON preferred, then protobuf; nil means 406.
    static func acceptedFormat(_ request: HTTPRequest) -> MessageFormat? {
        guard let accept = request.header("Accept"), !accept.isEmpty else { return .json }
        let types = accept.split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        if types.contains(where: { ["application/json", "*/*", "application/*"].contains($0) }) { return .json }
        if types.contains("application/x-protobuf") { return .protobuf }
        return nil
    }
}

import Foundation

enum VersionJSON {
    static func body() -> [UInt8] {
        let object: [String: Any] = [
            "version": FairwayVersion.mesosCompatible,
            "fairway_version": FairwayVersion.fairway,
            "build_date": "", "build_time": 0, "build_user": "",
            "git_sha": "", "git_branch": "", "git_tag": "",
        ]
        return JSONBody.encode(object)
    }
}

/// JSON for the human-facing (v0) endpoints, built from plain dictionaries.
enum JSONBody {
    static func encode(_ object: Any) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return Array("{}".utf8)
        }
        return Array(data)
    }
}
