import FairwayCore
import FairwayHTTP
import Foundation
import NIOHTTP1

/// A request refused before it reaches the state machine, with the reply to send.
struct RejectedRequest: Error {
    var response: HTTPResponse
}

/// Checks Mesos applies to the API endpoints: POST only, an exact content type.
enum RequestChecks {
    static func postBody(_ request: HTTPRequest) -> Result<MessageFormat, RejectedRequest> {
        if let refusal = methodRefusal(request, allowed: .POST) { return .failure(RejectedRequest(response: refusal)) }
        guard let contentType = request.header("Content-Type") else {
            return .failure(RejectedRequest(response: .text(.badRequest, "Expecting 'Content-Type' to be present")))
        }
        guard let format = MessageFormat(rawValue: contentType.trimmingCharacters(in: .whitespaces)) else {
            return .failure(RejectedRequest(response: .text(.unsupportedMediaType,
                "Expecting 'Content-Type' of application/json or application/x-protobuf, got '\(contentType)'")))
        }
        return .success(format)
    }

    /// Mesos's 405 with an `Allow` header when the request does not use `allowed`; nil when it does.
    static func methodRefusal(_ request: HTTPRequest, allowed: HTTPMethod) -> HTTPResponse? {
        guard request.method != allowed else { return nil }
        var response = HTTPResponse.text(.methodNotAllowed, "Expecting one of { '\(allowed.rawValue)' }, but received '\(request.method.rawValue)'")
        response.headers.add(name: "Allow", value: allowed.rawValue)
        return response
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
