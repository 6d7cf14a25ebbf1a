import FairwayCore
import FairwayProto

/// A framework as the master knows it: its info, whether its subscription is open, and its tasks.
public struct FrameworkRecord: Sendable {
    public var info: Fairway_V1_FrameworkInfo
    public var id: String { info.id.value }
    /// The current subscription's `Mesos-Stream-Id`; nil while disconnected.
    public var streamID: String?
    public var registeredTime: Double
    public var reregisteredTime: Double?
    public var disconnectedTime: Double?
    /// True when restored from the registry after a master restart and not yet re-subscribed.
    public var recovered: Bool
    /// Task ids to task records, for the tasks not yet completed (see `completedTasks`).
    public var tasks: [String: TaskRecord] = [:]
    /// Terminal tasks whose final update was acknowledged, newest last, bounded.
    public var completedTasks: [TaskRecord] = []
    public var offerIDs: Set<String> = []

    public var connected: Bool { streamID != nil }

    /// The roles the framework subscribes with: `roles` for MULTI_ROLE frameworks, else `role`.
    public var roles: [String] {
        info.isMultiRole ? info.roles : [info.role]
    }

    public static let maximumCompletedTasks = 1000
}

extension Fairway_V1_FrameworkInfo {
    public var isMultiRole: Bool { capabilities.contains { $0.type == .multiRole } }
    public var isPartitionAware: Bool { capabilities.contains { $0.type == .partitionAware } }
}

/// A task the master launched or learned about from an agent.
public struct TaskRecord: Sendable {
    public var task: Fairway_V1_Task
    public var id: String { task.taskID.value }
    public var frameworkID: String { task.frameworkID.value }
    public var agentID: String { task.agentID.value }
    public var resources: Resources
    public var role: String
    /// Set once the master has handed the task's resources back to the allocator.
    public var resourcesRecovered = false
}

/// A registered agent and the tasks on it.
public struct AgentRecord: Sendable {
    public var info: Fairway_V1_AgentInfo
    public var id: String { info.id.value }
    /// The IP the agent serves on, as it registered; nil for an agent that sent none (then its
    /// hostname is used to reach it).
    public var address: String?
    /// Where the agent is reached: `address`, else its hostname.
    public var host: String { address ?? info.hostname }
    /// `slave(1)@HOST:PORT`, as Mesos clients expect to find an agent.
    public var pid: String { "slave(1)@\(host):\(info.port)" }
    public var total: Resources
    public var streamID: String?
    public var registeredTime: Double
    public var reregisteredTime: Double?
    public var disconnectedTime: Double?
    public var version: String
    /// (framework id, task id) of every non-completed task on this agent.
    public var taskKeys: Set<TaskKey> = []
    public var offerIDs: Set<String> = []

    public var connected: Bool { streamID != nil }
}

public struct TaskKey: Hashable, Sendable {
    public var frameworkID: String
    public var taskID: String
}

/// Resources offered to one framework on one agent, until accepted, declined or rescinded.
public struct OfferRecord: Sendable {
    public var offer: Fairway_V1_Offer
    public var id: String { offer.id.value }
    public var frameworkID: String
    public var agentID: String
    public var role: String
    public var resources: Resources
    public var createdTime: Double
}
