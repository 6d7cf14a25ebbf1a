import FairwayProto

/// A pod container's restart policy, from the task label `fairway.pod/restart-policy` that the pods
/// framework sets: `Always` restarts the process whenever it ends, `OnFailure` when it ends with a
/// non-zero status or by a signal, `Never` never. A task without the label runs once, as any
/// Mesos task does.
public enum RestartPolicy: String, Sendable, Equatable, CaseIterable {
    case always = "Always"
    case onFailure = "OnFailure"
    case never = "Never"

    /// The task label that names the policy.
    public static let label = "fairway.pod/restart-policy"

    /// The policy a task asks for; nil when it names none (or one this agent does not know, which
    /// it then treats as a plain task: logged by the caller).
    public init?(task: Fairway_V1_TaskInfo) {
        guard let value = task.labels.labels.last(where: { $0.key == Self.label })?.value else { return nil }
        self.init(rawValue: value)
    }

    /// Whether a process that ended this way is started again.
    public func restarts(failed: Bool) -> Bool {
        switch self {
        case .always: true
        case .onFailure: failed
        case .never: false
        }
    }
}

/// The labels the agent puts on the status updates of a task with a restart policy, so the
/// framework can show restart counts and how the last run ended.
public enum RestartLabels {
    /// Restarts so far (on every update once the task has restarted).
    public static let restarts = "fairway.pod/restarts"
    /// How the previous run ended: its exit status, or 128 + the signal that ended it.
    public static let lastExitCode = "fairway.pod/last-exit-code"
    /// On the terminal update: how the last run ended.
    public static let exitCode = "fairway.pod/exit-code"
}
