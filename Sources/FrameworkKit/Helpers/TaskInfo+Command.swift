import FairwayCore
import FairwayProto

extension Fairway_V1_TaskInfo {
    /// A task that runs `command` under `/bin/sh -c` on the offer's agent, for example
    /// `.command(id: "task-1", agentID: offer.agentID, command: "echo hi", resources: Resources(scalars: ["cpus": 0.1, "mem": 32]))`.
    /// `name` defaults to the id.
    public static func command(id: String, name: String? = nil, agentID: Fairway_V1_AgentID, command: String,
                               resources: Resources, environment: [String: String] = [:]) -> Fairway_V1_TaskInfo {
        var commandInfo = Fairway_V1_CommandInfo()
        commandInfo.shell = true
        commandInfo.value = command
        return make(id: id, name: name, agentID: agentID, command: commandInfo, resources: resources, environment: environment)
    }

    /// A task that executes `arguments[0]` directly with `arguments` as its argv, without a shell.
    public static func command(id: String, name: String? = nil, agentID: Fairway_V1_AgentID, arguments: [String],
                               resources: Resources, environment: [String: String] = [:]) -> Fairway_V1_TaskInfo {
        var commandInfo = Fairway_V1_CommandInfo()
        commandInfo.shell = false
        commandInfo.value = arguments.first ?? ""
        commandInfo.arguments = arguments
        return make(id: id, name: name, agentID: agentID, command: commandInfo, resources: resources, environment: environment)
    }

    /// A shell task, `Fairway_V1_TaskInfo(shell: "echo hi", id: "task-1", agentID: offer.agentID, resources: ...)`.
    public init(shell: String, id: String, name: String? = nil, agentID: Fairway_V1_AgentID, resources: Resources,
                environment: [String: String] = [:]) {
        self = .command(id: id, name: name, agentID: agentID, command: shell, resources: resources, environment: environment)
    }

    /// The task's resources as a `Resources` bag (empty if the list is malformed).
    public var requestedResources: Resources {
        (try? Resources(proto: resources)) ?? Resources()
    }

    private static func make(id: String, name: String?, agentID: Fairway_V1_AgentID, command: Fairway_V1_CommandInfo,
                             resources: Resources, environment: [String: String]) -> Fairway_V1_TaskInfo {
        var task = Fairway_V1_TaskInfo()
        task.taskID.value = id
        task.name = name ?? id
        task.agentID = agentID
        task.resources = resources.proto()
        var command = command
        if !environment.isEmpty {
            command.environment.variables = environment.sorted { $0.key < $1.key }.map { name, value in
                var variable = Fairway_V1_Environment.Variable()
                variable.name = name
                variable.value = value
                return variable
            }
        }
        task.command = command
        return task
    }
}
