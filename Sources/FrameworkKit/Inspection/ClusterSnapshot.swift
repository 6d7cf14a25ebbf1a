import Foundation

/// The master's `GET /master/state` (Mesos v0 JSON), read leniently into the parts the CLI and
/// tests look at: agents, frameworks, their tasks and offers.
public struct ClusterSnapshot: Decodable, Sendable {
    public var id: String?
    public var version: String?
    public var hostname: String?
    public var pid: String?
    public var agents: [Agent]
    public var frameworks: [Framework]
    public var completedFrameworks: [Framework]

    public init(from decoder: Decoder) throws {
        let json = try decoder.container(keyedBy: JSONKey.self)
        id = json.string("id")
        version = json.string("version")
        hostname = json.string("hostname")
        pid = json.string("pid")
        agents = json.array("slaves", of: Agent.self)
        frameworks = json.array("frameworks", of: Framework.self)
        completedFrameworks = json.array("completed_frameworks", of: Framework.self)
    }

    /// Parses the body of `/master/state`.
    public static func decode(_ bytes: [UInt8]) throws -> ClusterSnapshot {
        try JSONDecoder().decode(ClusterSnapshot.self, from: Data(bytes))
    }

    public func agent(id: String) -> Agent? { agents.first { $0.id == id } }

    /// An active or completed framework by id.
    public func framework(id: String) -> Framework? {
        frameworks.first { $0.id == id } ?? completedFrameworks.first { $0.id == id }
    }

    /// Tasks that have not finished, or with `includeCompleted` every task the master remembers,
    /// including those of completed frameworks.
    public func tasks(includeCompleted: Bool = false) -> [Task] {
        var tasks = frameworks.flatMap(\.tasks)
        if includeCompleted {
            tasks += frameworks.flatMap(\.completedTasks)
            tasks += completedFrameworks.flatMap { $0.tasks + $0.completedTasks }
        }
        return tasks
    }

    /// The task with this id: a live one first, otherwise the most recent completed one. Task ids
    /// are unique per framework only, so give `frameworkID` when several frameworks used the id.
    public func task(id: String, frameworkID: String? = nil) -> Task? {
        let candidates = tasks(includeCompleted: true).filter { task in
            guard task.id == id else { return false }
            guard let frameworkID else { return true }
            return task.frameworkID == frameworkID || task.frameworkID.hasPrefix(frameworkID)
        }
        if let live = candidates.first(where: { !$0.isTerminal }) { return live }
        return candidates.max { ($0.lastStatusTime ?? 0) < ($1.lastStatusTime ?? 0) }
    }

    public struct Agent: Decodable, Sendable {
        public var id: String
        public var hostname: String
        public var port: Int?
        public var pid: String?
        public var active: Bool
        public var registeredTime: Double?
        public var resources: ResourceSummary
        public var usedResources: ResourceSummary
        public var offeredResources: ResourceSummary
        public var attributes: [String: JSONScalar]

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            hostname = json.string("hostname") ?? ""
            port = json.int("port")
            pid = json.string("pid")
            active = json.bool("active") ?? true
            registeredTime = json.double("registered_time")
            resources = json.value("resources", as: ResourceSummary.self) ?? ResourceSummary()
            usedResources = json.value("used_resources", as: ResourceSummary.self) ?? ResourceSummary()
            offeredResources = json.value("offered_resources", as: ResourceSummary.self) ?? ResourceSummary()
            attributes = json.value("attributes", as: [String: JSONScalar].self) ?? [:]
        }

        /// Where the agent's HTTP endpoints are: the address in its pid (`slave(1)@10.0.0.5:5051`),
        /// which the agent listens on, or `hostname:port` when there is no pid (a hostname given
        /// with `--hostname` need not resolve).
        public var address: String? {
            if let pid, let at = pid.lastIndex(of: "@") { return String(pid[pid.index(after: at)...]) }
            if !hostname.isEmpty { return "\(hostname):\(port ?? 5051)" }
            return nil
        }

        /// `rack:a;zone:1`, sorted by name.
        public var attributesDescription: String {
            attributes.keys.sorted().map { "\($0):\(attributes[$0] ?? .other)" }.joined(separator: ";")
        }
    }

    public struct Framework: Decodable, Sendable {
        public var id: String
        public var name: String
        public var user: String?
        public var role: String?
        public var roles: [String]
        public var active: Bool
        public var connected: Bool
        public var failoverTimeout: Double?
        public var registeredTime: Double?
        public var usedResources: ResourceSummary
        public var offeredResources: ResourceSummary
        public var tasks: [Task]
        public var completedTasks: [Task]
        public var offers: [Offer]

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            name = json.string("name") ?? ""
            user = json.string("user")
            role = json.string("role")
            roles = json.array("roles", of: String.self)
            active = json.bool("active") ?? false
            connected = json.bool("connected") ?? false
            failoverTimeout = json.double("failover_timeout")
            registeredTime = json.double("registered_time")
            usedResources = json.value("used_resources", as: ResourceSummary.self) ?? ResourceSummary()
            offeredResources = json.value("offered_resources", as: ResourceSummary.self) ?? ResourceSummary()
            tasks = json.array("tasks", of: Task.self)
            completedTasks = json.array("completed_tasks", of: Task.self)
            offers = json.array("offers", of: Offer.self)
        }

        /// The roles the framework uses: `roles` (MULTI_ROLE) or the single `role`, `*` by default.
        public var roleDescription: String {
            if !roles.isEmpty { return roles.joined(separator: ",") }
            return role ?? "*"
        }
    }

    public struct Task: Decodable, Sendable {
        public var id: String
        public var name: String
        public var frameworkID: String
        public var executorID: String
        public var agentID: String
        public var state: String
        public var resources: ResourceSummary
        public var statuses: [Status]

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            name = json.string("name") ?? ""
            frameworkID = json.string("framework_id") ?? ""
            executorID = json.string("executor_id") ?? ""
            agentID = json.string("slave_id") ?? json.string("agent_id") ?? ""
            state = json.string("state") ?? "TASK_UNKNOWN"
            resources = json.value("resources", as: ResourceSummary.self) ?? ResourceSummary()
            statuses = json.array("statuses", of: Status.self)
        }

        public var isTerminal: Bool { Self.terminalStates.contains(state) }

        /// When the task last changed state, from its status history.
        public var lastStatusTime: Double? { statuses.compactMap(\.timestamp).max() }

        static let terminalStates: Set<String> = [
            "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
            "TASK_GONE", "TASK_GONE_BY_OPERATOR",
        ]
    }

    public struct Status: Decodable, Sendable {
        public var state: String
        public var timestamp: Double?

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            state = json.string("state") ?? ""
            timestamp = json.double("timestamp")
        }
    }

    public struct Offer: Decodable, Sendable {
        public var id: String
        public var frameworkID: String
        public var agentID: String
        public var resources: ResourceSummary

        public init(from decoder: Decoder) throws {
            let json = try decoder.container(keyedBy: JSONKey.self)
            id = json.string("id") ?? ""
            frameworkID = json.string("framework_id") ?? ""
            agentID = json.string("slave_id") ?? json.string("agent_id") ?? ""
            resources = json.value("resources", as: ResourceSummary.self) ?? ResourceSummary()
        }
    }
}
