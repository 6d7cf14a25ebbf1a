import FairwayProto
import Foundation

/// Builds the status updates the agent sends: every `TaskStatus` carries the task and agent ids, a
/// fresh random 16-byte uuid (what the framework acknowledges), a timestamp, its source and, for
/// command tasks, the task id as executor id.
public enum StatusUpdateFactory {
    public static func make(task key: TaskKey, state: Fairway_V1_TaskState, agentID: String?, executorID: String?,
                            source: Fairway_V1_TaskStatus.Source, reason: Fairway_V1_TaskStatus.Reason? = nil,
                            message: String? = nil, pid: Int32? = nil, limitation: [Fairway_V1_Resource] = [],
                            now: Double) -> Fairway_Internal_StatusUpdate {
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = key.taskID
        status.state = state
        if let agentID { status.agentID.value = agentID }
        if let executorID { status.executorID.value = executorID }
        status.source = source
        if let reason { status.reason = reason }
        if let message { status.message = message }
        status.timestamp = now
        status.uuid = randomUUID()
        if let pid { status.containerStatus.executorPid = UInt32(bitPattern: pid) }
        if !limitation.isEmpty { status.limitation.resources = limitation }
        var update = Fairway_Internal_StatusUpdate()
        update.frameworkID.value = key.frameworkID
        update.status = status
        update.latestState = state
        return update
    }

    /// The update for a task's terminal outcome.
    public static func make(task: AgentTask, outcome: TaskOutcome, agentID: String?, now: Double) -> Fairway_Internal_StatusUpdate {
        make(task: task.key, state: outcome.state, agentID: agentID, executorID: task.executorID, source: outcome.source,
             reason: outcome.reason, message: outcome.message, pid: task.pid, limitation: outcome.limitation, now: now)
    }

    static func randomUUID() -> Data {
        let uuid = UUID().uuid
        return withUnsafeBytes(of: uuid) { Data($0) }
    }
}
