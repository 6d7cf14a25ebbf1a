import FairwayHTTP
import Foundation
import KubeAPI

/// Wraps the API handler and remembers every request (method, URI, content type, body) and the
/// status it got, so tests can check what a real client actually sent.
final class RecordingHandler: HTTPHandler, @unchecked Sendable {
    struct Exchange: Sendable {
        var method: String
        var uri: String
        var contentType: String?
        var accept: String?
        var body: String
        var status: Int
        var responseBody: String
    }

    let inner: KubeAPIHandler
    private let lock = NSLock()
    private var recorded: [Exchange] = []

    init(_ inner: KubeAPIHandler) { self.inner = inner }

    var exchanges: [Exchange] { lock.withLock { recorded } }

    func clear() { lock.withLock { recorded = [] } }

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        let reply = await inner.handle(request)
        let status: Int
        let body: String
        switch reply {
        case .response(let response):
            status = Int(response.status.code)
            body = String(decoding: response.body, as: UTF8.self)
        case .stream(let head, _):
            status = Int(head.status.code)
            body = "<stream>"
        }
        let exchange = Exchange(method: request.method.rawValue, uri: request.uri, contentType: request.header("Content-Type"),
                                accept: request.header("Accept"), body: String(decoding: request.body, as: UTF8.self),
                                status: status, responseBody: body)
        lock.withLock { recorded.append(exchange) }
        if ProcessInfo.processInfo.environment["KUBEAPI_TRACE"] != nil {
            print("TRACE \(exchange.method) \(exchange.uri) [\(exchange.contentType ?? "")] \(exchange.body.prefix(300)) -> \(status) \(body.prefix(300))")
        }
        return reply
    }
}
