import FairwayCore
import Foundation
import NIOHTTP1
import SwiftProtobuf

/// A request refused before it reaches the state machine, with the reply to send.
public struct RejectedRequest: Error {
    public var response: HTTPResponse

    public init(response: HTTPResponse) { self.response = response }
}

/// Checks Mesos applies to the API endpoints: POST only, an exact content type. Fairway's own
/// APIs (the batch framework's job API) follow the same rules.
public enum RequestChecks {
    public static func postBody(_ request: HTTPRequest) -> Result<MessageFormat, RejectedRequest> {
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
    public static func methodRefusal(_ request: HTTPRequest, allowed: HTTPMethod) -> HTTPResponse? {
        guard request.method != allowed else { return nil }
        var response = HTTPResponse.text(.methodNotAllowed, "Expecting one of { '\(allowed.rawValue)' }, but received '\(request.method.rawValue)'")
        response.headers.add(name: "Allow", value: allowed.rawValue)
        return response
    }

    /// An API call's message, decoded from a POST body in the format its `Content-Type` names,
    /// with the format the client wants the answer in; or the 4xx to send (`name` is the message's
    /// name for the error text).
    public static func call<Call: SwiftProtobuf.Message>(
        _ type: Call.Type, from request: HTTPRequest, name: String
    ) -> Result<(call: Call, answerIn: MessageFormat), RejectedRequest> {
        let format: MessageFormat
        switch postBody(request) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let value): format = value
        }
        guard let answerIn = acceptedFormat(request) else {
            return .failure(RejectedRequest(response: .text(.notAcceptable,
                "Expecting 'Accept' to allow application/json or application/x-protobuf")))
        }
        do {
            return .success((try format.decode(type, from: request.body), answerIn))
        } catch {
            return .failure(RejectedRequest(response: .text(.badRequest, "Failed to parse body into \(name): \(error.message)")))
        }
    }

    /// The response format a client accepts: JSON preferred, then protobuf; nil means 406.
    public static func acceptedFormat(_ request: HTTPRequest) -> MessageFormat? {
        guard let accept = request.header("Accept"), !accept.isEmpty else { return .json }
        let types = accept.split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        if types.contains(where: { ["application/json", "*/*", "application/*"].contains($0) }) { return .json }
        if types.contains("application/x-protobuf") { return .protobuf }
        return nil
    }
}
