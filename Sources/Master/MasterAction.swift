import FairwayProto

/// What the master's state machine asks its service shell to do. The state machine decides; the
/// shell writes to streams and the registry.
public enum MasterAction: Sendable {
    /// Send an event on a framework's current subscription (dropped if it has none).
    case sendToFramework(frameworkID: String, Fairway_V1_Scheduler_Event)
    /// Close a framework subscription stream (after an ERROR, failover or teardown).
    case closeFrameworkStream(streamID: String)
    case sendToAgent(agentID: String, Fairway_Internal_AgentEvent)
    case closeAgentStream(streamID: String)
    case persist(RegistryChange)
}

/// A change to what the master must remember across a restart.
public enum RegistryChange: Sendable {
    case admitAgent(Fairway_V1_AgentInfo)
    case removeAgent(id: String)
    case addFramework(Fairway_V1_FrameworkInfo, registeredTime: Double)
    case removeFramework(id: String)
    case setCounter(name: String, value: Int)
    /// A role's weight from UPDATE_WEIGHTS; it overrides `--weights` at the next start.
    case setWeight(role: String, weight: Double)
    /// A role's quota from UPDATE_QUOTA.
    case setQuota(Fairway_V1_Quota_QuotaConfig)
    case removeQuota(role: String)
}
