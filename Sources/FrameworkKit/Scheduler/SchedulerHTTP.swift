import AsyncHTTPClient
import NIOCore

/// The HTTP clients the SDK shares. Unlike `HTTPClient.shared` it does not follow
/// redirects (a 307 names the leading master, which the scheduler must remember), gives up on an
/// unreachable master quickly, and has no read timeout (the heartbeat watchdog judges liveness).
enum SchedulerHTTP {
    static let client: HTTPClient = makeClient(connectionsPerHost: 16, redirects: .disallow)

    /// A client for the inspection commands: fewer connections, and a standby master's redirect to
    /// the leader is simply followed.
    static let inspectionClient: HTTPClient = makeClient(connectionsPerHost: 4, redirects: .follow(max: 3, allowCycles: false))

    /// Connection failures are reported at once instead of being retried inside the client until
    /// the connect timeout: the scheduler's own backoff decides when to try again, and a CLI
    /// should say "connection refused" without a pause.
    private static func makeClient(connectionsPerHost: Int, redirects: HTTPClient.Configuration.RedirectConfiguration) -> HTTPClient {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60),
                                                           concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        pool.retryConnectionEstablishment = false
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: redirects,
            timeout: .init(connect: .seconds(5), read: nil),
            connectionPool: pool,
            decompression: .disabled)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
