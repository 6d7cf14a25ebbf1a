/// What the pod life-cycle core asks its shell to do.
public enum PodAction: Hashable, Sendable {
    /// Accept `offerID` with one LAUNCH_GROUP per pod (in this order); the offer's leftovers are
    /// refused for `refuseSeconds` (non-zero when replicas were held back to spread them).
    case launch(offerID: String, agentID: String, podUIDs: [String], refuseSeconds: Double)
    case decline(offerIDs: [String], refuseSeconds: Double)
    /// Kill these container tasks of one pod.
    case kill(taskIDs: [String], agentID: String)
    /// Write the pod's status.
    case status(podUID: String, PodStatusView)
    /// Record a Kubernetes event about the pod.
    case event(podUID: String, warning: Bool, reason: String, message: String)
    /// Declare the pending pods' shapes to the master (REQUEST).
    case declareDemand([PodDemand])
    case suppress
    case revive
}

/// Pending pods of one shape.
public struct PodDemand: Hashable, Sendable {
    public var cpus: Double
    public var memMB: Double
    public var count: Int

    public init(cpus: Double, memMB: Double, count: Int) {
        self.cpus = cpus
        self.memMB = memMB
        self.count = count
    }
}
