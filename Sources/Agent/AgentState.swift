import FairwayCore
import FairwayProto

/// Everything the agent knows about frameworks and tasks, as a pure value: the active tasks
/// (running, or terminal with updates not yet acknowledged), a bounded list of completed ones for
/// `/state` and `fairway logs`, and the agent's identity. The actor around it does the I/O.
public struct AgentState: Sendable {
    public var agentID: String?
    public var masterID: String?
    public private(set) var frameworks: [String: Fairway_V1_FrameworkInfo] = [:]
    public private(set) var tasks: [TaskKey: AgentTask] = [:]
    /// Finished tasks whose updates were all acknowledged, oldest first.
    public private(set) var completed: [AgentTask] = []
    /// Frameworks that were shut down, for `/state`'s `completed_frameworks`.
    public private(set) var completedFrameworks: [String] = []
    public var completedLimit: Int

    private var byContainer: [String: TaskKey] = [:]

    public init(completedLimit: Int = 2000) {
        self.completedLimit = completedLimit
    }

    public mutating func addFramework(_ info: Fairway_V1_FrameworkInfo) {
        frameworks[info.id.value] = info
        completedFrameworks.removeAll { $0 == info.id.value }
    }

    public mutating func add(_ task: AgentTask) {
        tasks[task.key] = task
        byContainer[task.containerID] = task.key
    }

    public func task(_ key: TaskKey) -> AgentTask? { tasks[key] }

    public func task(containerID: String) -> AgentTask? {
        byContainer[containerID].flatMap { tasks[$0] }
    }

    public func completedTask(_ key: TaskKey) -> AgentTask? {
        completed.last { $0.key == key }
    }

    /// Changes an active task in place; returns the changed task, or nil if it is not active.
    @discardableResult
    public mutating func update(_ key: TaskKey, _ change: (inout AgentTask) -> Void) -> AgentTask? {
        guard var task = tasks[key] else { return nil }
        change(&task)
        tasks[key] = task
        return task
    }

    /// Gives an active task a new container id (a restart runs as a new container); returns it.
    @discardableResult
    public mutating func replaceContainer(_ key: TaskKey, containerID: String) -> AgentTask? {
        guard var task = tasks[key] else { return nil }
        byContainer[task.containerID] = nil
        task.containerID = containerID
        tasks[key] = task
        byContainer[containerID] = key
        return task
    }

    /// Moves a task from active to completed (terminal and fully acknowledged).
    public mutating func complete(_ key: TaskKey) {
        guard let task = tasks.removeValue(forKey: key) else { return }
        byContainer[task.containerID] = nil
        completed.append(task)
        if completed.count > completedLimit { completed.removeFirst(completed.count - completedLimit) }
    }

    /// Forgets a framework's active tasks (they move to completed as they are) and marks the
    /// framework completed. Returns the tasks removed.
    public mutating func removeFramework(_ frameworkID: String) -> [AgentTask] {
        let removed = tasks.values.filter { $0.key.frameworkID == frameworkID }
        for task in removed { complete(task.key) }
        if !completedFrameworks.contains(frameworkID) { completedFrameworks.append(frameworkID) }
        return removed
    }

    /// Forgets everything, identity included: the master refused this agent.
    public mutating func reset() {
        let limit = completedLimit
        self = AgentState(completedLimit: limit)
    }

    /// Active tasks grouped by framework, sorted, for registration and `/state`.
    public var tasksByFramework: [(String, [AgentTask])] {
        Dictionary(grouping: tasks.values, by: \.key.frameworkID)
            .map { ($0.key, $0.value.sorted { $0.key < $1.key }) }
            .sorted { $0.0 < $1.0 }
    }

    /// The resources held by tasks that are not terminal.
    public var allocated: Resources {
        var total = Resources()
        for task in tasks.values where !task.state.isTerminal {
            if let resources = try? Resources(proto: task.info.resources) { total += resources }
        }
        return total
    }
}
