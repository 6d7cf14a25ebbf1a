/// Why a map or reduce task failed. The message is what the agent's TASK_FAILED status carries (the
/// runner prints it on stderr), so it names the command, file or agent involved and what to do.
///
/// `exitStatus` lets the framework tell failures apart from the task's exit code alone:
/// 1 = the task failed (mapper/reducer/combiner failed, input unreadable, disk error);
/// 2 = a map output could not be fetched (the map's output is gone or its agent unreachable, so the
///     framework should consider re-running that map rather than blaming this reduce);
/// 64 = the task was started with invalid arguments (a framework bug, `EX_USAGE`).
public struct BatchRuntimeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case task
        case fetch
        case usage
    }

    public var kind: Kind
    public var message: String

    public init(_ message: String, kind: Kind = .task) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var exitStatus: Int32 {
        switch kind {
        case .task: Self.taskFailureStatus
        case .fetch: Self.fetchFailureStatus
        case .usage: Self.usageStatus
        }
    }

    public static let taskFailureStatus: Int32 = 1
    public static let fetchFailureStatus: Int32 = 2
    public static let usageStatus: Int32 = 64
}

extension BatchRuntimeError {
    /// Any error as a `BatchRuntimeError` (task failure unless it already is one).
    static func wrapping(_ error: any Error) -> BatchRuntimeError {
        (error as? BatchRuntimeError) ?? BatchRuntimeError("\(error)")
    }
}
