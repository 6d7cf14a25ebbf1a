import FairwayCore
import FairwayProto

/// The agent's `/state` document in the Mesos v0 shape, which `fairway logs` and tests use to find a
/// task's sandbox: frameworks → executors (a command task's executor id is its task id and its
/// `directory` its sandbox) → tasks / completed_tasks.
struct AgentStateJSON {
    var agentID: String?
    var hostname: String
    var port: Int
    var resources: Resources
    var attributes: [Fairway_V1_Attribute]
    var state: AgentState

    func render() -> JSONValue {
        var frameworkIDs = Set(state.frameworks.keys)
        frameworkIDs.formUnion(state.tasks.keys.map(\.frameworkID))
        let completedFrameworks = Set(state.completedFrameworks)
        let active = frameworkIDs.subtracting(completedFrameworks).sorted()
        return .object([
            ("id", .string(agentID ?? "")),
            ("hostname", .string(hostname)),
            ("port", .integer(Int64(port))),
            ("resources", Self.resources(resources)),
            ("attributes", .object(attributes.map { ($0.name, Self.attribute($0)) })),
            ("frameworks", .array(active.map { framework($0) })),
            ("completed_frameworks", .array(completedFrameworks.sorted().map { framework($0) })),
        ])
    }

    private func framework(_ id: String) -> JSONValue {
        let info = state.frameworks[id]
        let activeTasks = state.tasks.values.filter { $0.key.frameworkID == id }
        let completedTasks = state.completed.filter { $0.key.frameworkID == id }
        // An executor is active while any of its tasks is.
        var executors: [String: (active: [AgentTask], completed: [AgentTask])] = [:]
        for task in activeTasks { executors[task.executorID, default: ([], [])].active.append(task) }
        for task in completedTasks { executors[task.executorID, default: ([], [])].completed.append(task) }
        var activeExecutors: [JSONValue] = []
        var completedExecutors: [JSONValue] = []
        for (executorID, tasks) in executors.sorted(by: { $0.key < $1.key }) {
            let sample = tasks.active.first ?? tasks.completed[tasks.completed.count - 1]
            let running = tasks.active.filter { !$0.state.isTerminal }
            let finished = tasks.active.filter(\.state.isTerminal) + tasks.completed
            let executor = JSONValue.object([
                ("id", .string(executorID)),
                ("name", .string(sample.executor?.name ?? "Command Executor (Task: \(sample.key.taskID))")),
                ("framework_id", .string(id)),
                ("directory", .string(sample.executorDirectory)),
                ("resources", Self.resources((try? Resources(proto: tasks.active.first?.info.resources ?? sample.info.resources)) ?? Resources())),
                ("tasks", .array(running.sorted { $0.key < $1.key }.map(task))),
                ("queued_tasks", .array([])),
                ("completed_tasks", .array(finished.map(task))),
            ])
            if running.isEmpty { completedExecutors.append(executor) } else { activeExecutors.append(executor) }
        }
        return .object([
            ("id", .string(id)),
            ("name", .string(info?.name ?? "")),
            ("user", .string(info?.user ?? "")),
            ("role", .string(info.map { $0.roles.first ?? $0.role } ?? "*")),
            ("executors", .array(activeExecutors)),
            ("completed_executors", .array(completedExecutors)),
        ])
    }

    private func task(_ task: AgentTask) -> JSONValue {
        .object([
            ("id", .string(task.key.taskID)),
            ("name", .string(task.info.name)),
            ("state", .string(task.state.name)),
            ("framework_id", .string(task.key.frameworkID)),
            ("executor_id", .string(task.isCommandTask ? "" : task.executorID)),
            ("slave_id", .string(agentID ?? task.info.agentID.value)),
            ("resources", Self.resources((try? Resources(proto: task.info.resources)) ?? Resources())),
            ("sandbox", .string(task.sandbox)),
        ])
    }

    static func resources(_ resources: Resources) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for name in resources.names.sorted() {
            let values = resources.values.filter { $0.key.name == name }.map(\.value)
            switch values.first {
            case .scalar?:
                members.append((name, .number(resources.scalar(name))))
            case .ranges?:
                var all = ValueRanges()
                for case .ranges(let ranges) in values { all = all + ranges }
                members.append((name, .string(all.description)))
            case .set(let items)?:
                members.append((name, .string("{" + items.sorted().joined(separator: ",") + "}")))
            case nil:
                continue
            }
        }
        return .object(members)
    }

    static func attribute(_ attribute: Fairway_V1_Attribute) -> JSONValue {
        switch attribute.type {
        case .scalar: .number(attribute.scalar.value)
        default: .string(Attributes.text(of: attribute))
        }
    }
}
