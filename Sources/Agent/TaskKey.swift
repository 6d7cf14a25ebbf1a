/// Identifies a task on this agent. Task ids are unique only within a framework, so every table the
/// agent keeps (tasks, update streams, checkpoint rows) is keyed by both.
public struct TaskKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var frameworkID: String
    public var taskID: String

    public init(frameworkID: String, taskID: String) {
        self.frameworkID = frameworkID
        self.taskID = taskID
    }

    public static func < (lhs: TaskKey, rhs: TaskKey) -> Bool {
        (lhs.frameworkID, lhs.taskID) < (rhs.frameworkID, rhs.taskID)
    }

    public var description: String { "\(taskID) of framework \(frameworkID)" }
}
