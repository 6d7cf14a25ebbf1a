import Glibc
import Logging

/// Gives each pod its own network namespace on the host's pod bridge: a veth pair whose host end
/// (`fwv` + 8 hex digits) joins the bridge and whose other end is the pod's `eth0` with the pod IP
/// on the whole pod CIDR (pods on other agents' subnets are on-link, reached without routing),
/// `lo` up, a default route via the bridge (service IPs live there), and the pod's `resolv.conf`
/// and `hosts` written before any of its processes starts.
///
/// The agent starts a container's program behind `commandPrefix(podID:)`: `ip netns exec` enters the
/// namespace, bind-mounts those two files, and `exec`s the program (same pid). Nothing is routed
/// off the machine: no NAT, no forwarding.
public struct PodSandboxNetwork: Sendable {
    public let configuration: PodNetworkConfiguration
    let logger: Logger

    public init(configuration: PodNetworkConfiguration = PodNetworkConfiguration(),
                logger: Logger = Logger(label: "fairway.podnet")) {
        self.configuration = configuration
        self.logger = logger
    }

    var bridge: PodBridge { PodBridge(name: configuration.bridgeName, ipPath: configuration.ipPath) }

    /// Creates the bridge with the pod CIDR's first address if it is missing; safe to call from
    /// several agents at once.
    public func ensureBridge() async throws(PodNetworkError) {
        try configuration.validate()
        try await bridge.ensure(address: configuration.bridgeAddress, prefixLength: configuration.podCIDR.prefixLength)
    }

    /// Deletes the bridge. Only for tests and `fairway dev` cleanup: other agents on the host may
    /// still use it, so an agent never calls this on its own.
    public func teardown() async throws(PodNetworkError) {
        try await bridge.remove()
    }

    /// The network namespace name of a pod.
    public func namespaceName(podID: String) -> String {
        InterfaceNames.namespace(prefix: configuration.namespacePrefix, podID: podID)
    }

    /// The host end of a pod's veth pair.
    public func hostInterfaceName(podID: String) -> String {
        InterfaceNames.hostInterface(namespace: namespaceName(podID: podID))
    }

    /// What to put before a container's program so it runs in the pod's network namespace with the
    /// pod's `resolv.conf` and `hosts`, keeping its pid (`ip netns exec`, `unshare` and `sh` each
    /// exec the next). With a `hostname`, the program also gets a UTS namespace of its own where
    /// `hostname` (gethostname) is the pod's name, as in Kubernetes — where `unshare` exists and
    /// the name is one the kernel takes.
    public func commandPrefix(podID: String, hostname: String? = nil) -> [String] {
        let network = [configuration.ipPath, "netns", "exec", namespaceName(podID: podID)]
        guard let hostname, !hostname.isEmpty, hostname.utf8.count <= 64, PodHostsFile.isValidName(hostname),
              access(configuration.unsharePath, X_OK) == 0 else { return network }
        return network + [configuration.unsharePath, "--uts", "/bin/sh", "-c",
                          #"printf %s "$0" > /proc/sys/kernel/hostname 2>/dev/null; exec "$@""#, hostname]
    }

    /// Creates the pod's namespace, veth pair and files. `ip` must lie in the pod CIDR (it comes
    /// from the agent's `PodIPAM`). On failure everything created so far is removed again.
    public func create(podID: String, ip: IPv4Address, hostname: String, resolvConf: String,
                       hosts: [PodHostAlias] = []) async throws(PodNetworkError) -> PodAttachment {
        try configuration.validate()
        let cidr = configuration.podCIDR
        guard cidr.contains(ip), ip != cidr.network, ip != cidr.broadcast, ip != configuration.bridgeAddress else {
            throw PodNetworkError(.invalidArgument, "pod IP \(ip) is not a pod address of the pod CIDR \(cidr)")
        }
        guard PodHostsFile.isValidName(hostname), hosts.allSatisfy({ $0.hostnames.allSatisfy(PodHostsFile.isValidName) }) else {
            throw PodNetworkError(.invalidArgument, "pod \(podID): hostnames must be non-empty and contain no spaces or `#`")
        }
        let namespace = namespaceName(podID: podID)
        if access("/run/netns/" + namespace, F_OK) == 0 {
            throw PodNetworkError(.invalidArgument,
                                  "network namespace \(namespace) of pod \(podID) exists already (a leftover?): destroy(podID:) it first")
        }
        try await ensureBridge()
        let attachment = PodAttachment(
            namespace: namespace, hostInterface: InterfaceNames.hostInterface(namespace: namespace), ip: ip,
            prefixLength: cidr.prefixLength, gateway: configuration.bridgeAddress,
            resolvConfPath: "\(configuration.netnsConfigDirectory)/\(namespace)/resolv.conf",
            hostsPath: "\(configuration.netnsConfigDirectory)/\(namespace)/hosts")
        do throws(PodNetworkError) {
            try writeFiles(attachment, podID: podID, hostname: hostname, resolvConf: resolvConf, hosts: hosts)
            try await plumb(attachment)
        } catch {
            do { try await destroy(namespace: namespace) } catch let cleanup {
                logger.warning("could not clean up after a failed pod network setup", metadata: [
                    "pod": "\(podID)", "error": "\(cleanup)"])
            }
            throw error
        }
        logger.debug("pod network created", metadata: [
            "pod": "\(podID)", "namespace": "\(namespace)", "ip": "\(ip)", "veth": "\(attachment.hostInterface)"])
        return attachment
    }

    private func writeFiles(_ attachment: PodAttachment, podID: String, hostname: String, resolvConf: String,
                            hosts: [PodHostAlias]) throws(PodNetworkError) {
        try ClaimFiles.makeDirectories("\(configuration.netnsConfigDirectory)/\(attachment.namespace)")
        try ClaimFiles.replace(attachment.resolvConfPath, text: resolvConf.hasSuffix("\n") ? resolvConf : resolvConf + "\n")
        try ClaimFiles.replace(attachment.hostsPath,
                               text: PodHostsFile.render(podID: podID, ip: attachment.ip, hostname: hostname, aliases: hosts))
    }

    /// Two `ip -batch` runs: the namespace and veth pair on the host side, then the pod side.
    private func plumb(_ attachment: PodAttachment) async throws(PodNetworkError) {
        let namespace = attachment.namespace
        let veth = attachment.hostInterface
        let hostSide = [
            "netns add \(namespace)",
            "link add \(veth) type veth peer name eth0 netns \(namespace)",
            "link set \(veth) master \(configuration.bridgeName)",
            "link set \(veth) up",
        ]
        _ = try await HostCommand(arguments: [configuration.ipPath, "-batch", "-"], input: hostSide.joined(separator: "\n") + "\n")
            .check("creating the network namespace and veth pair of \(namespace)")
        let podSide = [
            "link set lo up",
            "addr add \(attachment.ip)/\(attachment.prefixLength) dev eth0",
            "link set eth0 up",
            "route add default via \(attachment.gateway) dev eth0",
        ]
        _ = try await HostCommand(arguments: [configuration.ipPath, "-n", namespace, "-batch", "-"],
                                  input: podSide.joined(separator: "\n") + "\n")
            .check("configuring eth0 in \(namespace)")
    }

    /// Removes a pod's veth pair, namespace and files; does nothing for parts already gone.
    /// Kill the pod's processes first: a namespace with processes in it outlives its name.
    public func destroy(podID: String) async throws(PodNetworkError) {
        try await destroy(namespace: namespaceName(podID: podID))
    }

    /// Removes a namespace found by `existing()` (a leftover from before an agent crash).
    public func destroy(namespace: String) async throws(PodNetworkError) {
        guard namespace.hasPrefix(configuration.namespacePrefix), !namespace.contains("/"), namespace != ".." else {
            throw PodNetworkError(.invalidArgument,
                                  "`\(namespace)` is not one of our namespaces (they start with \(configuration.namespacePrefix))")
        }
        let ip = configuration.ipPath
        let veth = InterfaceNames.hostInterface(namespace: namespace)
        let link = HostCommand(arguments: [ip, "link", "del", veth])
        let linkResult = try await link.run()
        if !linkResult.succeeded && !linkResult.errors.contains("Cannot find device") {
            throw link.failure("deleting veth \(veth) of \(namespace)", linkResult)
        }
        let netns = HostCommand(arguments: [ip, "netns", "del", namespace])
        let netnsResult = try await netns.run()
        if !netnsResult.succeeded && !netnsResult.errors.contains("No such file") {
            throw netns.failure("deleting network namespace \(namespace)", netnsResult)
        }
        try ClaimFiles.removeFlatDirectory("\(configuration.netnsConfigDirectory)/\(namespace)")
    }

    /// Our network namespaces on this host (names starting with the configured prefix), for
    /// cleaning up after a crash.
    public func existing() async throws(PodNetworkError) -> [String] {
        let result = try await HostCommand(arguments: [configuration.ipPath, "netns", "list"]).check("listing network namespaces")
        return result.output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.map(String.init)
        }.filter { $0.hasPrefix(configuration.namespacePrefix) }.sorted()
    }
}
