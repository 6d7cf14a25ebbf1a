import FairwayProto

extension Fairway_V1_TaskState {
    /// A terminal task never changes state again and no longer holds resources.
    public var isTerminal: Bool {
        switch self {
        case .taskFinished, .taskFailed, .taskKilled, .taskError, .taskLost, .taskDropped, .taskGone, .taskGoneByOperator:
            true
        case .taskStaging, .taskStarting, .taskRunning, .taskKilling, .taskUnreachable, .taskUnknown:
            false
        }
    }

    /// The Mesos name, `TASK_RUNNING`, as in JSON and the v0 state endpoint.
    public var name: String {
        switch self {
        case .taskStaging: "TASK_STAGING"
        case .taskStarting: "TASK_STARTING"
        case .taskRunning: "TASK_RUNNING"
        case .taskKilling: "TASK_KILLING"
        case .taskFinished: "TASK_FINISHED"
        case .taskFailed: "TASK_FAILED"
        case .taskKilled: "TASK_KILLED"
        case .taskError: "TASK_ERROR"
        case .taskLost: "TASK_LOST"
        case .taskDropped: "TASK_DROPPED"
        case .taskUnreachable: "TASK_UNREACHABLE"
        case .taskGone: "TASK_GONE"
        case .taskGoneByOperator: "TASK_GONE_BY_OPERATOR"
        case .taskUnknown: "TASK_UNKNOWN"
        }
    }
}
