import NIOCore
import NIOHTTP1

/// A complete response, or the head of a streaming one.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response, the way Mesos reports errors: the message is the whole body.
    public static func text(_ status: HTTPResponseStatus, _ message: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(message.utf8))
    }

    public static func json(_ body: [UInt8], status: HTTPResponseStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    public static let accepted = HTTPResponse(status: .accepted)
}

/// What a handler answers: a whole response, or a stream that stays open and is written to later
/// (the scheduler subscription, the agent channel). The stream is chunked-encoded.
public enum HTTPReply: Sendable {
    case response(HTTPResponse)
    case stream(HTTPResponse, @Sendable (HTTPStream) async -> Void)
}

public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPReply
}
