import PodNetwork

/// Whether the agent gives pods (task groups asking for the network `fairway-pods`) network
/// namespaces of their own.
public enum PodNetworkMode: String, Sendable, Equatable, CaseIterable {
    /// Namespaces when this machine allows them (root, iproute2, netns and bridges work: probed
    /// when the first pod arrives), else the host network with the reason logged and reported.
    case auto
    /// Namespaces required: the agent does not start where the probe fails.
    case on
    /// Every pod on the host network.
    case off
}

/// The agent's pod-network settings (`fairway agent --pod-network … --pod-bridge … --pod-cidr …
/// --pod-network-claims …`). Every name is configurable so tests and a second cluster can run
/// beside a dev cluster without touching its bridge, claims or namespaces.
public struct PodNetworkOptions: Sendable, Equatable {
    public var mode: PodNetworkMode
    /// The Linux bridge the pods of every agent on this host attach to.
    public var bridge: String
    /// The flat pod network; the bridge holds its first address, each agent claims a /24 of it.
    public var podCIDR: IPv4Subnet
    /// One file per claimed subnet, shared by the agents of this host.
    public var claimsDirectory: String
    /// Start of our network namespace names; the agent adds a tag of its work dir, so agents on
    /// one host never clean up each other's namespaces.
    public var namespacePrefix: String
    /// Where `ip netns exec` finds the pods' `resolv.conf` and `hosts`.
    public var netnsConfigDirectory: String

    public init(mode: PodNetworkMode = .auto, bridge: String = "fairway0",
                podCIDR: IPv4Subnet = PodNetworkConfiguration().podCIDR,
                claimsDirectory: String = PodNetworkConfiguration().claimsDirectory,
                namespacePrefix: String = "fwpod-", netnsConfigDirectory: String = "/etc/netns") {
        self.mode = mode
        self.bridge = bridge
        self.podCIDR = podCIDR
        self.claimsDirectory = claimsDirectory
        self.namespacePrefix = namespacePrefix
        self.netnsConfigDirectory = netnsConfigDirectory
    }

    /// From flag values (`--pod-network auto|on|off --pod-bridge NAME --pod-cidr A.B.C.D/N
    /// --pod-network-claims DIR`); nil values keep the defaults. Errors name the flag.
    public init(mode: String, bridge: String? = nil, podCIDR: String? = nil, claimsDirectory: String? = nil) throws(AgentError) {
        guard let parsedMode = PodNetworkMode(rawValue: mode.lowercased()) else {
            throw AgentError("--pod-network must be auto, on or off (not `\(mode)`)")
        }
        self.init(mode: parsedMode)
        if let bridge { self.bridge = bridge }
        if let podCIDR {
            guard let subnet = IPv4Subnet(podCIDR) else {
                throw AgentError("--pod-cidr `\(podCIDR)` is not a network in CIDR form like 10.88.0.0/16")
            }
            self.podCIDR = subnet
        }
        if let claimsDirectory, !claimsDirectory.isEmpty { self.claimsDirectory = claimsDirectory }
        do throws(PodNetworkError) {
            try configuration(agentTag: "check").validate()
        } catch {
            throw AgentError("pod network settings: \(error.message)")
        }
    }

    /// The PodNetwork configuration of the agent whose work dir hashes to `agentTag`.
    public func configuration(agentTag: String) -> PodNetworkConfiguration {
        var configuration = PodNetworkConfiguration()
        configuration.bridgeName = bridge
        configuration.podCIDR = podCIDR
        configuration.claimsDirectory = claimsDirectory
        configuration.namespacePrefix = namespacePrefix + agentTag + "-"
        configuration.netnsConfigDirectory = netnsConfigDirectory
        return configuration
    }
}
