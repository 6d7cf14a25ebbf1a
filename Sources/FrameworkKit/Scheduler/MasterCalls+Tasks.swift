import FairwayProto

/// The calls every framework shell makes, by plain ids: frameworks keep task, agent and offer ids
/// as strings, and the protobuf wrapping lives here once.
extension MasterCalls {
    public func kill(task: String, agent: String) {
        let (taskID, agentID) = Self.ids(task: task, agent: agent)
        send("KILL \(task)") { try await $0.kill(taskID, agentID: agentID) }
    }

    /// Declines offers (nothing is sent for an empty list).
    public func decline(offers: [String], refuseSeconds: Double) {
        guard !offers.isEmpty else { return }
        let ids: [Fairway_V1_OfferID] = offers.map { id in
            var offerID = Fairway_V1_OfferID()
            offerID.value = id
            return offerID
        }
        send("DECLINE \(offers.count) offers") { try await $0.decline(ids, refuseSeconds: refuseSeconds) }
    }

    /// Explicit reconciliation of these tasks: the master answers each with its latest state (an
    /// unknown one comes back lost).
    public func reconcile(tasks: [(task: String, agent: String)]) {
        guard !tasks.isEmpty else { return }
        let entries: [(Fairway_V1_TaskID, Fairway_V1_AgentID?)] = tasks.map { entry in
            let (taskID, agentID) = Self.ids(task: entry.task, agent: entry.agent)
            return (taskID, agentID)
        }
        send("RECONCILE \(tasks.count) tasks") { try await $0.reconcile(entries) }
    }

    static func ids(task: String, agent: String) -> (Fairway_V1_TaskID, Fairway_V1_AgentID) {
        var taskID = Fairway_V1_TaskID()
        taskID.value = task
        var agentID = Fairway_V1_AgentID()
        agentID.value = agent
        return (taskID, agentID)
    }
}
