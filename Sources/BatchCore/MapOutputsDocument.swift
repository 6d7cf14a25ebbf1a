/// The answer of the batch framework's `GET /jobs/ID/map-outputs`: where each finished map's output
/// is now. Reduces launched before every map is done (reduce slowstart) poll it until they hold all
/// `maps` outputs. Shared here so the framework that writes it and the reduce that reads it agree.
///
/// `{"maps": 8, "state": "running", "outputs": [{"index": 0, "agent_id": "…", "url": "http://HOST:PORT", "task_id": "…"}]}`
public struct MapOutputsDocument: Sendable, Codable, Equatable {
    /// One finished map's output: the winning attempt (`task_id`, the Mesos TaskID whose sandbox
    /// holds it) on agent `agent_id`, whose HTTP endpoint is `url`.
    public struct Output: Sendable, Codable, Equatable {
        public var index: Int
        public var agentID: String
        /// `http://HOST:PORT`, without a trailing slash.
        public var url: String
        public var taskID: String

        public init(index: Int, agentID: String, url: String, taskID: String) {
            self.index = index
            self.agentID = agentID
            self.url = url
            self.taskID = taskID
        }

        private enum CodingKeys: String, CodingKey {
            case index
            case agentID = "agent_id"
            case url
            case taskID = "task_id"
        }
    }

    /// The job's number of maps.
    public var maps: Int
    /// The job's state (`JobState` raw value): a reduce stops waiting once it is not "running" or "pending".
    public var state: String
    /// Finished maps whose output is available, in map index order. A map re-run after its agent was
    /// lost is missing until it finishes again, then appears with its new location.
    public var outputs: [Output]

    public init(maps: Int, state: String, outputs: [Output]) {
        self.maps = maps
        self.state = state
        self.outputs = outputs
    }
}
