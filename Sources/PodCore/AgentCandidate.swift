import FairwayCore

/// What a plugin sees of one offer while one pod is being placed: the offer's remaining capacity
/// within the current pass (it shrinks as pods are charged to it) and how many replicas of the
/// pod's controller the agent already runs. A plain value, cheap to build per (pod, offer) pair.
public struct AgentCandidate: Sendable {
    public var offerID: String
    public var agentID: String
    public var hostname: String
    public var attributes: [String: String]
    /// Capacity the offer brought into the pass.
    public var totalCpus: Scalar
    public var totalMem: Scalar
    /// Capacity still free after the pods already charged in this pass.
    public var freeCpus: Scalar
    public var freeMem: Scalar
    /// Replicas of the pod's controller already on this agent (0 when the pod has no controller).
    public var replicasOfController: Int
    /// Pods already on this agent, those charged in this pass included.
    public var podsOnAgent: Int

    public init(
        offerID: String, agentID: String, hostname: String, attributes: [String: String],
        totalCpus: Scalar, totalMem: Scalar, freeCpus: Scalar, freeMem: Scalar,
        replicasOfController: Int, podsOnAgent: Int = 0
    ) {
        self.offerID = offerID
        self.agentID = agentID
        self.hostname = hostname
        self.attributes = attributes
        self.totalCpus = totalCpus
        self.totalMem = totalMem
        self.freeCpus = freeCpus
        self.freeMem = freeMem
        self.replicasOfController = replicasOfController
        self.podsOnAgent = podsOnAgent
    }
}
