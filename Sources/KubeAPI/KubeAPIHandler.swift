import FairwayHTTP
import Foundation
import Logging
import NIOHTTP1

/// The Kubernetes-compatible REST API on FairwayHTTP's server: discovery, CRUD, patches, watches,
/// Tables and pod logs over a `KubeStore`, for kubectl and the Python client. Every error is a
/// `Status` with the right code; nothing a client sends can crash it.
public struct KubeAPIHandler: HTTPHandler {
    public let store: KubeStore
    let logs: (any PodLogSource)?
    let clock: @Sendable () -> Date
    let serverAddress: String
    let watchTimeout: Int
    let bearerToken: String?
    let logger: Logger

    static let tableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

    /// - Parameters:
    ///   - logs: where `pods/NAME/log` reads from (nil: logs answer 400 saying none is configured).
    ///   - serverAddress: `host:port` advertised by `/api` when a request has no Host header.
    ///   - watchTimeout: seconds a watch stays open when the client gives no `timeoutSeconds`.
    ///   - bearerToken: when set, every request but the health checks must carry
    ///     `Authorization: Bearer <token>` (401 otherwise).
    public init(store: KubeStore, logs: (any PodLogSource)? = nil, bearerToken: String? = nil,
                logger: Logger = Logger(label: "fairway.kubeapi.http"), clock: @escaping @Sendable () -> Date = { Date() },
                serverAddress: String = "127.0.0.1:6443", watchTimeout: Int = 1800) {
        self.store = store
        self.bearerToken = bearerToken
        self.logger = logger
        self.logs = logs
        self.clock = clock
        self.serverAddress = serverAddress
        self.watchTimeout = watchTimeout
    }

    public func handle(_ request: HTTPRequest) async -> HTTPReply {
        logger.debug("\(request.method.rawValue) \(request.uri)")
        do {
            return try await route(request)
        } catch {
            if error.code >= 500 { logger.error("\(request.method.rawValue) \(request.uri): \(error.message)") }
            return Self.reply(error)
        }
    }

    func route(_ request: HTTPRequest) async throws(KubeError) -> HTTPReply {
        let route = KubeRoute(path: request.path)
        if let bearerToken, route != .health, request.header("Authorization") != "Bearer \(bearerToken)" {
            throw KubeError(code: 401, reason: .unauthorized, message: "Unauthorized: give the bearer token from the kubeconfig that fairway wrote")
        }
        if case .resource(let target) = route { return try await handleResource(target, request) }
        guard request.method == .GET || request.method == .HEAD else { throw KubeError.methodNotAllowed() }
        switch route {
        case .root:
            return Self.json(["paths": ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/readyz", "/version"]])
        case .apiVersions: return Self.json(Discovery.apiVersions(serverAddress: request.header("Host") ?? serverAddress))
        case .apiGroups: return Self.json(Discovery.apiGroupList)
        case .coreResources: return Self.json(Discovery.coreResourceList)
        case .version: return Self.json(Discovery.version)
        case .openAPIv2:
            // An empty protobuf Document: kubectl then validates nothing client-side and create/apply work.
            return .response(HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"]))
        case .health: return .response(.text(.ok, "ok"))
        case .openAPIv3, .unknown, .resource: throw KubeError.unknownResource
        }
    }

    static func json(_ value: JSON, status: HTTPResponseStatus = .ok, contentType: String = "application/json") -> HTTPReply {
        .response(HTTPResponse(status: status, headers: ["Content-Type": contentType], body: value.encoded()))
    }

    static func reply(_ error: KubeError) -> HTTPReply {
        json(error.status, status: HTTPResponseStatus(statusCode: error.code))
    }
}
