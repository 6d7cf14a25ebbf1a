/// What `PodSandboxNetwork.create` set up for a pod: enough for the agent to report the pod IP
/// and to checkpoint what it must clean up.
public struct PodAttachment: Sendable, Equatable {
    /// The pod's network namespace (`ip netns` name).
    public var namespace: String
    /// The host end of the pod's veth pair, attached to the bridge.
    public var hostInterface: String
    /// The pod IP, on the pod's `eth0`.
    public var ip: IPv4Address
    /// The prefix length of `eth0`'s address: the whole pod CIDR is on-link.
    public var prefixLength: Int
    /// The bridge address: the pod's default gateway and DNS server.
    public var gateway: IPv4Address
    /// The files `ip netns exec` bind-mounts over `/etc/resolv.conf` and `/etc/hosts`.
    public var resolvConfPath: String
    public var hostsPath: String
}
