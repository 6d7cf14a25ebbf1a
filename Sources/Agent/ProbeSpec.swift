import FairwayProto

/// One probe of a container, read from a task's `health_check` (liveness: failures kill the
/// process) or `check` (readiness: results are only reported): what to try and when.
public struct ProbeSpec: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Run a command inside the container's network namespace; exit status 0 passes.
        case command(TaskCommand)
        /// `GET http://POD_IP:port/path` from the agent; a status of 200–399 passes.
        case http(port: Int, path: String)
        /// Connect to POD_IP:port; a connection passes.
        case tcp(port: Int)
    }

    public var action: Action
    /// Seconds after the container starts before the first probe.
    public var delay: Double
    /// Seconds between the end of one probe and the start of the next.
    public var interval: Double
    /// Seconds one probe may take before it counts as failed (a command is killed then).
    public var timeout: Double
    /// Failures in a row that kill the container (liveness only).
    public var consecutiveFailures: Int
    /// Seconds after the container starts during which failures do not count (liveness only).
    public var gracePeriod: Double

    public init(action: Action, delay: Double, interval: Double, timeout: Double, consecutiveFailures: Int = 3,
                gracePeriod: Double = 0) {
        self.action = action
        self.delay = max(0, delay)
        self.interval = max(0.01, interval)
        self.timeout = timeout > 0 ? timeout : 20
        self.consecutiveFailures = max(1, consecutiveFailures)
        self.gracePeriod = max(0, gracePeriod)
    }

    /// A liveness probe from a Mesos health check; an error says what is wrong with it.
    public static func liveness(_ check: Fairway_V1_HealthCheck) -> Result<ProbeSpec, AgentError> {
        let action: Action
        switch check.type {
        case .command:
            guard check.hasCommand else { return .failure(AgentError("a COMMAND health check needs `command`")) }
            switch TaskCommand.from(check.command) {
            case .success(let command): action = .command(command)
            case .failure(let error): return .failure(AgentError("health check command: \(error.message)"))
            }
        case .http:
            guard check.hasHTTP, let port = validPort(check.http.port) else {
                return .failure(AgentError("an HTTP health check needs `http.port` between 1 and 65535"))
            }
            if check.http.hasScheme, !check.http.scheme.isEmpty, check.http.scheme.lowercased() != "http" {
                return .failure(AgentError("health check scheme \(check.http.scheme) is not supported: use http"))
            }
            action = .http(port: port, path: normalizedPath(check.http.path))
        case .tcp:
            guard check.hasTcp, let port = validPort(check.tcp.port) else {
                return .failure(AgentError("a TCP health check needs `tcp.port` between 1 and 65535"))
            }
            action = .tcp(port: port)
        case .unknown:
            return .failure(AgentError("the health check has no type: set COMMAND, HTTP or TCP"))
        }
        return .success(ProbeSpec(action: action, delay: check.delaySeconds, interval: check.intervalSeconds,
                                  timeout: check.timeoutSeconds, consecutiveFailures: Int(check.consecutiveFailures),
                                  gracePeriod: check.gracePeriodSeconds))
    }

    /// A readiness probe from a Mesos check; an error says what is wrong with it.
    public static func readiness(_ check: Fairway_V1_CheckInfo) -> Result<ProbeSpec, AgentError> {
        let action: Action
        switch check.type {
        case .command:
            guard check.hasCommand else { return .failure(AgentError("a COMMAND check needs `command.command`")) }
            switch TaskCommand.from(check.command.command) {
            case .success(let command): action = .command(command)
            case .failure(let error): return .failure(AgentError("check command: \(error.message)"))
            }
        case .http:
            guard check.hasHTTP, let port = validPort(check.http.port) else {
                return .failure(AgentError("an HTTP check needs `http.port` between 1 and 65535"))
            }
            action = .http(port: port, path: normalizedPath(check.http.path))
        case .tcp:
            guard check.hasTcp, let port = validPort(check.tcp.port) else {
                return .failure(AgentError("a TCP check needs `tcp.port` between 1 and 65535"))
            }
            action = .tcp(port: port)
        case .unknown:
            return .failure(AgentError("the check has no type: set COMMAND, HTTP or TCP"))
        }
        return .success(ProbeSpec(action: action, delay: check.delaySeconds, interval: check.intervalSeconds,
                                  timeout: check.timeoutSeconds))
    }

    /// The check type to report results under.
    public var checkType: Fairway_V1_CheckInfo.TypeEnum {
        switch action {
        case .command: .command
        case .http: .http
        case .tcp: .tcp
        }
    }

    private static func validPort(_ port: UInt32) -> Int? {
        (1...65535).contains(port) ? Int(port) : nil
    }

    private static func normalizedPath(_ path: String) -> String {
        path.isEmpty ? "/" : path.hasPrefix("/") ? path : "/" + path
    }
}
