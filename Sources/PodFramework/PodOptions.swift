import PodCore

/// How `fairway pods` runs: where the master is, where the Kubernetes API listens and where its
/// state lives.
public struct PodOptions: Sendable {
    public var master: String
    /// Address the Kubernetes API binds (plain HTTP on loopback by default).
    public var host = "127.0.0.1"
    public var apiPort = 6443
    public var workDir: String
    public var role = "services"
    public var name = "pods"
    /// How long the master keeps the framework's pods running while it is away (a week).
    public var failoverTimeout: Double = 7 * 24 * 3600
    /// When set, every API request must carry `Authorization: Bearer <token>`.
    public var bearerToken: String?
    /// PEM files: with both, the API is served over HTTPS.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Addresses for services' ClusterIPs.
    public var serviceCIDR = "10.96.0.0/16"
    /// Run the service proxy and cluster DNS for this machine (needs root and the pod bridge).
    public var serviceNetwork = true
    /// The pod bridge the agents on this machine share; the service proxy and DNS attach to it.
    public var bridgeName = "fairway0"
    public var podCIDR = "10.88.0.0/16"
    /// Most pods placed on one agent (the kubelet's `--max-pods`).
    public var maximumPodsPerAgent = PodOptions.defaultMaximumPodsPerAgent
    public static let defaultMaximumPodsPerAgent = PodsPerAgent.defaultMaximum
    /// Print a line saying where the API listens on standard output once it does (the command's
    /// banner); off where standard output carries something else, like a benchmark's JSON.
    public var announce = true

    public init(master: String, workDir: String) {
        self.master = master
        self.workDir = workDir
    }
}
