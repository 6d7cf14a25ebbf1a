import Glibc

/// What the agent tells a task about itself through its environment: the sandbox (`MESOS_SANDBOX`,
/// also the working directory), the agent, task and framework IDs, plus the whole environment,
/// which mappers, combiners and reducers inherit.
public struct TaskEnvironment: Sendable, Equatable {
    /// Where `map-output/`, downloaded map outputs and `counters.json` go.
    public var sandbox: String
    /// `MESOS_AGENT_ID`: a map output on this agent is read from disk instead of over HTTP.
    public var agentID: String?
    /// `MESOS_TASK_ID`, for messages.
    public var taskID: String?
    /// `MESOS_FRAMEWORK_ID`: map tasks are looked up in this framework in an agent's `/state`.
    public var frameworkID: String?
    /// The environment given to the user's commands.
    public var variables: [String: String]

    public init(sandbox: String, agentID: String? = nil, taskID: String? = nil, frameworkID: String? = nil,
                variables: [String: String] = [:]) {
        self.sandbox = sandbox
        self.agentID = agentID
        self.taskID = taskID
        self.frameworkID = frameworkID
        self.variables = variables
    }

    /// The running process's: `MESOS_SANDBOX` or else the working directory, and the `MESOS_*` IDs.
    public static func current() -> TaskEnvironment {
        let variables = processEnvironment()
        func value(_ name: String) -> String? {
            guard let value = variables[name], !value.isEmpty else { return nil }
            return value
        }
        return TaskEnvironment(sandbox: value("MESOS_SANDBOX") ?? POSIXFiles.currentDirectory(),
                               agentID: value("MESOS_AGENT_ID"), taskID: value("MESOS_TASK_ID"),
                               frameworkID: value("MESOS_FRAMEWORK_ID"), variables: variables)
    }

    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
