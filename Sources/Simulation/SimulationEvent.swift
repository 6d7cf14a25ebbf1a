import FairwayProto

/// Something that happens at a virtual time. Messages travel as events too (with the configured
/// delay), so the master, agents and frameworks never call each other re-entrantly.
enum SimulationEvent: Sendable {
    /// A master event reaches framework number `framework` (an index into the frameworks).
    case toFramework(framework: Int, Fairway_V1_Scheduler_Event)
    /// A framework's call reaches the master.
    case toMaster(framework: Int, Fairway_V1_Scheduler_Call)
    /// A master event reaches an agent.
    case toAgent(agent: Int, Fairway_Internal_AgentEvent)
    /// An agent's status updates reach the master.
    case statusUpdates(agent: Int, [Fairway_Internal_StatusUpdate])
    /// A task's drawn duration is over: the agent reports TASK_FINISHED.
    case taskEnds(agent: Int, frameworkID: String, taskID: String)
    /// The master's batched allocation pass.
    case allocate
    /// The master's periodic timeouts (offer filters expiring, offer timeout).
    case tick
    /// Record the fairness history.
    case sample
}
