/// Where pod networking lives on this host. Every name and path is configurable so tests (and a
/// second cluster) can run beside a dev cluster without touching its bridge, claims or namespaces.
public struct PodNetworkConfiguration: Sendable, Equatable {
    /// The Linux bridge all pods on this host attach to (shared by every agent on the host).
    public var bridgeName: String
    /// The flat pod network; its first address is the bridge's (the pods' gateway and DNS server).
    public var podCIDR: IPv4Subnet
    /// The prefix length of the subnet each agent claims (/24: 254 pods per agent).
    public var agentSubnetPrefixLength: Int
    /// One file per claimed agent subnet, shared by the agents of this host.
    public var claimsDirectory: String
    /// Prefix of our network namespaces (`fwpod-<pod>`): `existing()` lists only these.
    public var namespacePrefix: String
    /// The iproute2 binary (also the start of `commandPrefix`).
    public var ipPath: String
    /// Where `ip netns exec` looks for per-namespace `resolv.conf` and `hosts`.
    public var netnsConfigDirectory: String
    /// util-linux's `unshare`, which gives a pod's containers a hostname of their own (a UTS
    /// namespace); without it they see the host's.
    public var unsharePath = "/usr/bin/unshare"

    public init(bridgeName: String = "fairway0",
                podCIDR: IPv4Subnet = IPv4Subnet(address: IPv4Address(value: 0x0A58_0000), prefixLength: 16)!,
                agentSubnetPrefixLength: Int = 24,
                claimsDirectory: String = "/run/fairway/pod-network/claims",
                namespacePrefix: String = "fwpod-",
                ipPath: String = "/usr/sbin/ip",
                netnsConfigDirectory: String = "/etc/netns") {
        self.bridgeName = bridgeName
        self.podCIDR = podCIDR
        self.agentSubnetPrefixLength = agentSubnetPrefixLength
        self.claimsDirectory = claimsDirectory
        self.namespacePrefix = namespacePrefix
        self.ipPath = ipPath
        self.netnsConfigDirectory = netnsConfigDirectory
    }

    /// The bridge's address: the pods' default gateway and their DNS server.
    public var bridgeAddress: IPv4Address { podCIDR.firstHost }

    /// Checks the values `ip` and the kernel would reject, before anything is created.
    public func validate() throws(PodNetworkError) {
        guard InterfaceNames.isValid(bridgeName) else {
            throw PodNetworkError(.invalidArgument,
                                  "bridge name `\(bridgeName)` must be 1-15 letters, digits, `-` or `_`")
        }
        guard podCIDR.prefixLength <= 30, agentSubnetPrefixLength >= podCIDR.prefixLength,
              agentSubnetPrefixLength <= 30 else {
            throw PodNetworkError(.invalidArgument,
                                  "agent subnets of /\(agentSubnetPrefixLength) do not fit pod CIDR \(podCIDR): use a prefix between /\(podCIDR.prefixLength) and /30")
        }
        guard !namespacePrefix.isEmpty, namespacePrefix.allSatisfy(InterfaceNames.isSafe) else {
            throw PodNetworkError(.invalidArgument,
                                  "namespace prefix `\(namespacePrefix)` must be letters, digits, `-`, `_` or `.`")
        }
    }
}
