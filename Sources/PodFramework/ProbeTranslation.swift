import FairwayProto

/// Kubernetes probes as Mesos checks the agent runs: a liveness probe is a `HealthCheck` (the agent
/// kills the container after `failureThreshold` failures, and the restart policy applies), a
/// readiness probe a `CheckInfo` whose results the framework turns into the container's `ready`.
enum ProbeTranslation {
    static func healthCheck(_ probe: ProbeManifest) -> Fairway_V1_HealthCheck {
        var check = Fairway_V1_HealthCheck()
        check.delaySeconds = probe.initialDelaySeconds
        check.gracePeriodSeconds = probe.initialDelaySeconds
        check.intervalSeconds = probe.periodSeconds
        check.timeoutSeconds = probe.timeoutSeconds
        check.consecutiveFailures = UInt32(max(1, probe.failureThreshold))
        switch probe.action {
        case .exec(let command):
            check.type = .command
            check.command = commandInfo(command)
        case .http(let path, let port):
            check.type = .http
            check.http.port = UInt32(port)
            check.http.path = path
            check.http.scheme = "http"
        case .tcp(let port):
            check.type = .tcp
            check.tcp.port = UInt32(port)
        }
        return check
    }

    static func check(_ probe: ProbeManifest) -> Fairway_V1_CheckInfo {
        var check = Fairway_V1_CheckInfo()
        check.delaySeconds = probe.initialDelaySeconds
        check.intervalSeconds = probe.periodSeconds
        check.timeoutSeconds = probe.timeoutSeconds
        switch probe.action {
        case .exec(let command):
            check.type = .command
            check.command.command = commandInfo(command)
        case .http(let path, let port):
            check.type = .http
            check.http.port = UInt32(port)
            check.http.path = path
        case .tcp(let port):
            check.type = .tcp
            check.tcp.port = UInt32(port)
        }
        return check
    }

    private static func commandInfo(_ command: [String]) -> Fairway_V1_CommandInfo {
        var info = Fairway_V1_CommandInfo()
        info.shell = false
        info.value = command.first ?? ""
        info.arguments = command
        return info
    }
}
