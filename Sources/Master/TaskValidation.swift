import FairwayCore
import FairwayProto

/// Why a task cannot be launched, worded for the framework author.
public struct TaskProblem: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The checks Mesos makes before it launches a task, answered with TASK_ERROR when they fail.
enum TaskValidation {
    static func validate(_ task: Fairway_V1_TaskInfo, agentID: String, available: Resources,
                         isDuplicate: Bool) -> Result<Resources, TaskProblem> {
        if let problem = problem(withID: task.taskID.value) { return .failure(problem) }
        if isDuplicate { return .failure(TaskProblem("Task has duplicate ID: \(task.taskID.value)")) }
        if task.agentID.value != agentID {
            return .failure(TaskProblem("Task uses agent \(task.agentID.value), but the offers are for agent \(agentID)"))
        }
        if task.hasExecutor && task.hasCommand {
            return .failure(TaskProblem("Task should have at most one of 'executor' or 'command'"))
        }
        if task.hasExecutor {
            return .failure(TaskProblem("Custom executors are not supported by Fairway; give the task a 'command'"))
        }
        guard task.hasCommand else { return .failure(TaskProblem("Task has neither 'command' nor 'executor'")) }
        if task.command.value.isEmpty {
            return .failure(TaskProblem(task.command.shell ? "Task's shell command is empty" : "Task's 'command.value' (the program) is empty"))
        }
        return resources(of: task, available: available)
    }

    static func validateGroup(_ group: Fairway_V1_Offer.Operation.LaunchGroup, agentID: String, available: Resources,
                              hasDuplicate: Bool) -> Result<[Resources], TaskProblem> {
        guard !group.taskGroup.tasks.isEmpty else { return .failure(TaskProblem("Task group is empty")) }
        if hasDuplicate { return .failure(TaskProblem("Task group has a task with a duplicate ID")) }
        if group.executor.executorID.value.isEmpty { return .failure(TaskProblem("Task group's executor has no id")) }
        var remaining = available
        do {
            let executorResources = try Resources(proto: group.executor.resources)
            guard remaining.contains(executorResources) else {
                return .failure(TaskProblem("Executor uses more resources (\(executorResources)) than available (\(remaining))"))
            }
            remaining -= executorResources
        } catch {
            return .failure(TaskProblem("Executor has invalid resources: \(error.message)"))
        }
        var perTask: [Resources] = []
        for task in group.taskGroup.tasks {
            if let problem = problem(withID: task.taskID.value) { return .failure(problem) }
            if task.agentID.value != agentID {
                return .failure(TaskProblem("Task \(task.taskID.value) uses agent \(task.agentID.value), but the offers are for agent \(agentID)"))
            }
            if task.hasExecutor { return .failure(TaskProblem("Task \(task.taskID.value) in a group must not set 'executor'")) }
            if !task.hasCommand || task.command.value.isEmpty {
                return .failure(TaskProblem("Task \(task.taskID.value) in the group has no command"))
            }
            switch resources(of: task, available: remaining) {
            case .failure(let problem): return .failure(problem)
            case .success(let resources):
                remaining -= resources
                perTask.append(resources)
            }
        }
        return .success(perTask)
    }

    private static func resources(of task: Fairway_V1_TaskInfo, available: Resources) -> Result<Resources, TaskProblem> {
        let resources: Resources
        do {
            resources = try Resources(proto: task.resources)
        } catch {
            return .failure(TaskProblem("Task \(task.taskID.value) has invalid resources: \(error.message)"))
        }
        guard !resources.isEmpty else { return .failure(TaskProblem("Task \(task.taskID.value) uses no resources")) }
        guard available.contains(resources) else {
            return .failure(TaskProblem("Task \(task.taskID.value) uses more resources (\(resources)) than available in the offers (\(available))"))
        }
        return .success(resources)
    }

    /// Task ids name sandbox directories, so they must be safe path components.
    static func problem(withID id: String) -> TaskProblem? {
        if id.isEmpty { return TaskProblem("Task ID must not be empty") }
        if id == "." || id == ".." || id.contains("/") {
            return TaskProblem("Task ID '\(id)' must not be '.', '..' or contain '/'")
        }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return TaskProblem("Task ID must not contain control characters")
        }
        if id.utf8.count > 255 { return TaskProblem("Task ID is longer than 255 bytes") }
        return nil
    }
}
