import FairwayProto
import PodCore

extension ContainerUpdate {
    /// Labels the agent puts on a pod container's status updates: restarts so far (it applies the
    /// restart policy) and, after a restart, how the previous run ended.
    static let restartsLabel = "fairway.pod/restarts"
    static let lastExitCodeLabel = "fairway.pod/last-exit-code"
    static let exitCodeLabel = "fairway.pod/exit-code"

    /// Reads a Mesos status update of one container.
    init(status: Fairway_V1_TaskStatus) {
        let kind: Kind
        switch status.state {
        case .taskStaging, .taskStarting: kind = .starting
        case .taskRunning, .taskKilling: kind = .running
        case .taskFinished: kind = .finished
        case .taskFailed: kind = status.reason == .containerLaunchFailed ? .error : .failed
        case .taskKilled: kind = .killed
        case .taskError: kind = .error
        default: kind = .lost
        }
        let labels = Dictionary(status.labels.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let exitCode = labels[Self.exitCodeLabel].flatMap { Int($0) } ?? Self.exitCode(inMessage: status.message)
        let ip = status.containerStatus.networkInfos.lazy.flatMap(\.ipAddresses).first { !$0.ipAddress.isEmpty }?.ipAddress
        var ready: Bool?
        if status.hasCheckStatus {
            let check = status.checkStatus
            if check.hasCommand, check.command.hasExitCode { ready = check.command.exitCode == 0 }
            if check.hasHTTP, check.http.hasStatusCode { ready = (200..<400).contains(Int(check.http.statusCode)) }
            if check.hasTcp, check.tcp.hasSucceeded { ready = check.tcp.succeeded }
            if ready == nil { ready = false }
        }
        var lastTermination: ContainerTermination?
        if let code = labels[Self.lastExitCodeLabel].flatMap({ Int($0) }) {
            lastTermination = ContainerTermination(exitCode: code, reason: code == 0 ? "Completed" : "Error",
                                                   finishedAt: status.timestamp)
        }
        self.init(taskID: status.taskID.value, kind: kind, agentID: status.agentID.value,
                  message: status.message.isEmpty ? nil : status.message, exitCode: exitCode,
                  memoryLimitHit: status.reason == .containerLimitationMemory, podIP: ip, ready: ready,
                  restartCount: labels[Self.restartsLabel].flatMap { Int($0) }, lastTermination: lastTermination)
    }

    /// The exit code in the agent's message: "exited with status N", or 128 + N for "terminated by
    /// signal" (the shell's convention, which `kubectl` users know from exit code 137).
    static func exitCode(inMessage message: String) -> Int? {
        if let range = message.range(of: "exited with status ") {
            return Int(message[range.upperBound...].prefix { $0.isNumber })
        }
        if let range = message.range(of: "terminated by signal ") {
            let name = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
            let numbers = ["SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGABRT": 6, "SIGKILL": 9, "SIGSEGV": 11, "SIGPIPE": 13,
                           "SIGTERM": 15]
            if let number = numbers[String(name)] ?? Int(name) { return 128 + number }
        }
        return nil
    }
}
