import Foundation

/// The parts of an agent's `/state` (Mesos v0 JSON, see the agent's `AgentStateJSON`) a reduce needs:
/// frameworks and completed frameworks → executors and completed executors → tasks and completed
/// tasks, each with its `id` and `sandbox`.
struct AgentStateDocument: Sendable, Decodable {
    struct Task: Sendable, Decodable {
        var id: String
        var sandbox: String?
        var state: String?
    }

    struct Executor: Sendable, Decodable {
        var directory: String?
        var tasks: [Task]?
        var completedTasks: [Task]?
    }

    struct Framework: Sendable, Decodable {
        var id: String
        var executors: [Executor]?
        var completedExecutors: [Executor]?
    }

    var id: String?
    var frameworks: [Framework]?
    var completedFrameworks: [Framework]?

    static func decode(_ bytes: [UInt8]) throws -> AgentStateDocument {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AgentStateDocument.self, from: Data(bytes))
    }

    /// The sandbox of task `taskID` (in framework `frameworkID` when given). A finished task's
    /// entry wins over others with the same ID.
    func sandbox(ofTask taskID: String, frameworkID: String?) -> String? {
        var candidates: [(task: Task, directory: String?)] = []
        for framework in (frameworks ?? []) + (completedFrameworks ?? []) {
            if let frameworkID, framework.id != frameworkID { continue }
            for executor in (framework.executors ?? []) + (framework.completedExecutors ?? []) {
                for task in (executor.tasks ?? []) + (executor.completedTasks ?? []) where task.id == taskID {
                    candidates.append((task, executor.directory))
                }
            }
        }
        let best = candidates.first { $0.task.state == "TASK_FINISHED" } ?? candidates.first
        guard let best else { return nil }
        if let sandbox = best.task.sandbox, !sandbox.isEmpty { return sandbox }
        return best.directory
    }
}
