/// `status.phase`, with Kubernetes's rule for deriving it from the containers.
public enum PodPhase: String, Hashable, Sendable {
    case pending = "Pending"
    case running = "Running"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case unknown = "Unknown"

    public var isTerminal: Bool { self == .succeeded || self == .failed }

    /// Pending until every container has started; Running while any runs (or will be restarted);
    /// once all have ended for good, Succeeded if every one exited 0, else Failed.
    /// The agent applies the restart policy, so a terminated state here is final.
    public static func derive(from containers: [ContainerStatusView]) -> PodPhase {
        guard !containers.isEmpty else { return .pending }
        let ended = containers.compactMap(\.state.termination)
        if ended.count == containers.count {
            return ended.allSatisfy { $0.exitCode == 0 } ? .succeeded : .failed
        }
        if containers.contains(where: { !$0.started }) { return .pending }
        return .running
    }
}
