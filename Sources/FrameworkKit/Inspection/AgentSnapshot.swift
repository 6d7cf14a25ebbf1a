import Foundation

/// An agent's `GET /state` (Mesos v0 JSON), read for what finding a task's sandbox needs.
public struct AgentSnapshot: Decodable, Sendable {
    public var frameworks: [Framework]
    public var completedFrameworks: [Framework]

    public init(from decoder: Decoder) throws {
        let json = try decoder.container(keyedBy: JSONKey.self)
        frameworks = json.array("frameworks", of: Framework.self)
        completedFrameworks = json.array("completed_frameworks", of: Framework.self)
    }

    public static func decode(_ bytes: [UInt8]) throws -> AgentSnapshot {
        try JSONDecoder().decode(AgentSnapshot.self, from: Data(bytes))
    }

    /// The sandbox directory of a task: the directory of its executor (for command tasks the
    /// executor id is the task id), a running executor before a completed one.
    public func sandboxDirectory(frameworkID: String, executorID: String, taskID: String) -> String? {
        let executorID = executorID.isEmpty ? taskID : executorID
        let matching = (frameworks + completedFrameworks).filter { $0.id == frameworkID }
        let live = matching.flatMap(\.executors)
        let completed = matching.flatMap(\.completedExecutors)
        for executors in [live, completed.reversed()] {
            let executor = executors.first { $0.id == executorID && !$0.directory.isEmpty }
                ?? executors.first { $0.runs(taskID) && !$0.directory.isEmpty }
            guard let executor else { continue }
            // A member of a task group has a directory of its own inside the group's.
            return executor.id == taskID ? executor.directory : executor.directory + "/" + Self.pathComponent(taskID)
        }
        return nil
    }

    /// A task id as the agent names its directory (`/` and NUL replaced, no leading dot).
    static func pathComponent(_ id: String) -> String {
        var text = String(id.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        if text.isEmpty || text.hasPrefix(".") { text = "_" + text }
        return text
    }

    public struct Framework: Decodable, Sendable {
        public var id: String
        public var executors: [Executor]
        public var completedExecutors: [Executor]

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            executors = json.array("executors", of: Executor.self)
            completedExecutors = json.array("completed_executors", of: Executor.self)
        }
    }

    public struct Executor: Decodable, Sendable {
        public var id: String
        public var directory: String
        public var taskIDs: [String]

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            directory = json.string("directory") ?? ""
            let lists = ["tasks", "queued_tasks", "completed_tasks"].map { json.array($0, of: TaskReference.self) }
            taskIDs = lists.flatMap { $0.map(\.id) }
        }

        func runs(_ taskID: String) -> Bool { taskIDs.contains(taskID) }
    }

    struct TaskReference: Decodable {
        var id: String

        init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
        }
    }
}
