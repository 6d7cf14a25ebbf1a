import FairwayCore

/// A pending pod as the placer sees it: only what placement needs, so the decision core never
/// touches API objects. `controllerKey` groups replicas of one controller (e.g. "rc/default/web")
/// so they can be spread across agents.
public struct PodRequest: Hashable, Sendable {
    public var uid: String
    public var namespace: String
    public var name: String
    public var cpus: Double
    public var memMB: Double
    public var nodeSelector: [String: String]
    public var controllerKey: String?
    /// Creation time in seconds; the queue is served oldest first.
    public var createdAt: Double

    public init(
        uid: String, namespace: String = "default", name: String, cpus: Double, memMB: Double,
        nodeSelector: [String: String] = [:], controllerKey: String? = nil, createdAt: Double = 0
    ) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.cpus = cpus
        self.memMB = memMB
        self.nodeSelector = nodeSelector
        self.controllerKey = controllerKey
        self.createdAt = createdAt
    }

    /// Requested cpus in exact fixed point, so fitting never suffers from floating-point drift.
    public var cpuQuantity: Scalar { Scalar(cpus) }
    /// Requested memory (MB) in exact fixed point.
    public var memQuantity: Scalar { Scalar(memMB) }
}
