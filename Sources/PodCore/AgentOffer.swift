import FairwayCore

/// One resource offer as the placer sees it. `attributes` carry the agent's labels for
/// `nodeSelector` matching; the shell adds `kubernetes.io/hostname` = hostname.
public struct AgentOffer: Hashable, Sendable {
    public var offerID: String
    public var agentID: String
    public var hostname: String
    public var cpus: Double
    public var memMB: Double
    public var attributes: [String: String]

    public init(
        offerID: String, agentID: String, hostname: String, cpus: Double, memMB: Double,
        attributes: [String: String] = [:]
    ) {
        self.offerID = offerID
        self.agentID = agentID
        self.hostname = hostname
        self.cpus = cpus
        self.memMB = memMB
        self.attributes = attributes
    }

    /// The label every agent carries so pods can pin themselves to a host, as in Kubernetes.
    public static let hostnameLabel = "kubernetes.io/hostname"
}
