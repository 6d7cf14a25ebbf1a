import FairwayCore
import FairwayProto

/// What one probe found.
public enum ProbeResult: Sendable, Equatable {
    /// The probe command ended with this exit code (128 + signal when a signal ended it).
    case exited(Int32)
    /// The HTTP server answered with this status.
    case httpStatus(Int)
    /// The TCP connection was made (true) or refused or unreachable (false, with why).
    case connected(Bool, String)
    /// The probe did not finish within its timeout.
    case timedOut(Double)
    /// The probe could not be made at all (the command could not start, no HTTP answer).
    case failed(String)

    /// Whether the probe passed: exit 0, HTTP 200–399, a TCP connection.
    public var passed: Bool {
        switch self {
        case .exited(let code): code == 0
        case .httpStatus(let status): (200..<400).contains(status)
        case .connected(let connected, _): connected
        case .timedOut, .failed: false
        }
    }

    /// Why the probe failed, for messages ("Liveness probe failed: HTTP probe failed with status 500").
    public var why: String {
        switch self {
        case .exited(let code): "command exited with status \(code)"
        case .httpStatus(let status): "HTTP probe \(passed ? "succeeded" : "failed") with status \(status)"
        case .connected(true, _): "TCP connection made"
        case .connected(false, let reason): "TCP connection failed: \(reason)"
        case .timedOut(let seconds): "timed out after \(Scalar(seconds)) s"
        case .failed(let reason): reason
        }
    }

    /// The result as a Mesos check status of `type`: the command's exit code, the HTTP status or
    /// whether TCP connected; an empty inner message when the probe did not finish.
    public func checkStatus(_ type: Fairway_V1_CheckInfo.TypeEnum) -> Fairway_V1_CheckStatusInfo {
        var status = Fairway_V1_CheckStatusInfo()
        status.type = type
        switch type {
        case .command:
            var command = Fairway_V1_CheckStatusInfo.Command()
            if case .exited(let code) = self { command.exitCode = code }
            status.command = command
        case .http:
            var http = Fairway_V1_CheckStatusInfo.Http()
            if case .httpStatus(let code) = self { http.statusCode = UInt32(clamping: code) }
            status.http = http
        case .tcp:
            var tcp = Fairway_V1_CheckStatusInfo.Tcp()
            if case .connected(let connected, _) = self { tcp.succeeded = connected }
            status.tcp = tcp
        case .unknown:
            break
        }
        return status
    }

    /// The status before any result: the type with an empty inner message (not ready yet).
    public static func pendingStatus(_ type: Fairway_V1_CheckInfo.TypeEnum) -> Fairway_V1_CheckStatusInfo {
        ProbeResult.failed("not checked yet").checkStatus(type)
    }
}
