/// Where a reduce finds one map's output: `INDEX=AGENT_ID@http://HOST:PORT/MAP_TASK_ID`, the value
/// of a `--map` flag. The agent's `/state` gives the map task's sandbox; its `/files/download`
/// serves the partition file when the reduce runs on another agent.
public struct MapOutputLocation: Sendable, Hashable, CustomStringConvertible {
    /// The map's index in the job; equal keys from different maps reach the reducer in this order.
    public var mapIndex: Int
    public var agentID: String
    /// `http://HOST:PORT`, the agent's HTTP endpoint, without a trailing slash.
    public var agentURL: String
    public var taskID: String

    public init(mapIndex: Int, agentID: String, agentURL: String, taskID: String) {
        self.mapIndex = mapIndex
        self.agentID = agentID
        self.agentURL = agentURL
        self.taskID = taskID
    }

    /// Parses `INDEX=AGENT_ID@http://HOST:PORT/MAP_TASK_ID`.
    public init(parsing text: String) throws(BatchRuntimeError) {
        let expected = "expected INDEX=AGENT_ID@http://HOST:PORT/MAP_TASK_ID"
        guard let equals = text.firstIndex(of: "="), let index = Int(text[..<equals]), index >= 0 else {
            throw BatchRuntimeError("invalid --map '\(text)': \(expected), INDEX a non-negative number", kind: .usage)
        }
        let rest = text[text.index(after: equals)...]
        guard let at = rest.firstIndex(of: "@"), at != rest.startIndex else {
            throw BatchRuntimeError("invalid --map '\(text)': \(expected); the agent ID is missing", kind: .usage)
        }
        let agentID = String(rest[..<at])
        let url = rest[rest.index(after: at)...]
        guard let scheme = url.range(of: "://"), ["http", "https"].contains(url[..<scheme.lowerBound]) else {
            throw BatchRuntimeError("invalid --map '\(text)': \(expected); the agent URL must start with http://", kind: .usage)
        }
        guard let slash = url[scheme.upperBound...].firstIndex(of: "/"), slash != scheme.upperBound,
              url.index(after: slash) != url.endIndex else {
            throw BatchRuntimeError("invalid --map '\(text)': \(expected); HOST:PORT or the map task ID is missing", kind: .usage)
        }
        self.init(mapIndex: index, agentID: agentID, agentURL: String(url[..<slash]), taskID: String(url[url.index(after: slash)...]))
    }

    public var description: String { "\(mapIndex)=\(agentID)@\(agentURL)/\(taskID)" }
}
