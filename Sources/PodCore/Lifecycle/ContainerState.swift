/// A container's state as Kubernetes reports it in `status.containerStatuses[].state`.
public enum ContainerState: Hashable, Sendable {
    case waiting(reason: String, message: String? = nil)
    case running(startedAt: Double)
    case terminated(ContainerTermination)

    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }

    public var termination: ContainerTermination? {
        if case .terminated(let end) = self { return end }
        return nil
    }
}

/// How a container ended: its exit code and the reason Kubernetes users know (`Completed`,
/// `Error`, `OOMKilled`, `ContainerCannotRun`, `NodeLost`).
public struct ContainerTermination: Hashable, Sendable {
    public var exitCode: Int
    public var reason: String
    public var message: String?
    public var startedAt: Double?
    public var finishedAt: Double

    public init(exitCode: Int, reason: String, message: String? = nil, startedAt: Double? = nil, finishedAt: Double) {
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// One entry of `status.containerStatuses`.
public struct ContainerStatusView: Hashable, Sendable {
    public var name: String
    public var state: ContainerState
    public var lastTermination: ContainerTermination?
    public var ready: Bool
    public var restartCount: Int

    public init(name: String, state: ContainerState, lastTermination: ContainerTermination? = nil, ready: Bool = false,
                restartCount: Int = 0) {
        self.name = name
        self.state = state
        self.lastTermination = lastTermination
        self.ready = ready
        self.restartCount = restartCount
    }

    public var started: Bool {
        switch state {
        case .waiting: false
        case .running, .terminated: true
        }
    }
}
