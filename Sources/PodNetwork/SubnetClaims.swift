import Glibc
import Spawning

/// Shares the pod CIDR between the agents of one host: each agent claims one subnet (a /24 by
/// default) through a file per subnet in a claims directory, created with `O_EXCL` and holding the
/// claimer's agent ID and pid. Claims are made under an exclusive `flock` on the directory's lock
/// file, so two agents starting together never take the same subnet.
///
/// An agent gets its own claim back after a restart (same agent ID, new pid). A free subnet is
/// preferred; when none is left, a subnet whose claimer is dead is taken over (its pods may still
/// hold addresses for a moment, so a fresh subnet is the safer choice). The subnet holding the
/// bridge address is never claimed.
public struct SubnetClaims: Sendable {
    public let directory: String
    public let podCIDR: IPv4Subnet
    public let prefixLength: Int
    /// The bridge's address: the subnet containing it is kept out of the claims.
    public let bridgeAddress: IPv4Address

    public init(configuration: PodNetworkConfiguration) {
        self.directory = configuration.claimsDirectory
        self.podCIDR = configuration.podCIDR
        self.prefixLength = configuration.agentSubnetPrefixLength
        self.bridgeAddress = configuration.bridgeAddress
    }

    /// Claims a subnet for `agentID` (`pid` is the claiming process, ours by default).
    public func claim(agentID: String, pid: pid_t = getpid()) throws(PodNetworkError) -> IPv4Subnet {
        guard !agentID.isEmpty, !agentID.contains("\n") else {
            throw PodNetworkError(.invalidArgument, "agent ID `\(agentID)` must be non-empty and on one line")
        }
        return try locked { () throws(PodNetworkError) -> IPv4Subnet in
            let mine = SubnetClaim(subnet: podCIDR, agentID: agentID, pid: pid, startTime: SubnetClaim.startTime(of: pid))
            let current = claims()
            if let own = current.first(where: { $0.agentID == agentID }) {
                try write(SubnetClaim(subnet: own.subnet, agentID: agentID, pid: pid, startTime: mine.startTime))
                return own.subnet
            }
            let candidates = subnets()
            for subnet in candidates {
                var claim = mine
                claim.subnet = subnet
                if try ClaimFiles.createExclusive(path(subnet), text: claim.fileText) { return subnet }
            }
            for claim in current where !claim.claimerIsAlive && candidates.contains(claim.subnet) {
                var taken = mine
                taken.subnet = claim.subnet
                try write(taken)
                return claim.subnet
            }
            throw PodNetworkError(.subnetsExhausted,
                                  "all \(candidates.count) /\(prefixLength) subnets of pod CIDR \(podCIDR) are claimed by running agents (see \(directory)): stop an agent or configure a larger pod CIDR")
        }
    }

    /// Gives up `agentID`'s claim (for tests and a decommissioned agent; a restarting agent keeps it).
    public func release(agentID: String) throws(PodNetworkError) {
        try locked { () throws(PodNetworkError) in
            for claim in claims() where claim.agentID == agentID {
                if unlink(path(claim.subnet)) != 0 && errno != ENOENT {
                    throw PodNetworkError(.io, "cannot remove claim \(path(claim.subnet)): \(LinuxCalls.errorText(errno))")
                }
            }
        }
    }

    /// The claims on file, by subnet.
    public func claims() -> [SubnetClaim] {
        ClaimFiles.list(directory).filter { !$0.hasPrefix(".") }.compactMap { name in
            ClaimFiles.read(directory + "/" + name).flatMap { SubnetClaim(fileName: name, text: $0) }
        }.sorted { $0.subnet.network < $1.subnet.network }
    }

    /// The claimable subnets in order.
    func subnets() -> [IPv4Subnet] {
        let count = 1 << (prefixLength - podCIDR.prefixLength)
        return (0..<count).compactMap { podCIDR.subnet($0, prefixLength: prefixLength) }
            .filter { !$0.contains(bridgeAddress) }
    }

    private func path(_ subnet: IPv4Subnet) -> String {
        directory + "/" + SubnetClaim.fileName(subnet)
    }

    private func write(_ claim: SubnetClaim) throws(PodNetworkError) {
        try ClaimFiles.replace(path(claim.subnet), text: claim.fileText)
    }

    /// Runs `body` holding an exclusive lock on the claims directory.
    private func locked<T>(_ body: () throws(PodNetworkError) -> T) throws(PodNetworkError) -> T {
        guard podCIDR.prefixLength <= prefixLength, prefixLength <= 30 else {
            throw PodNetworkError(.invalidArgument, "agent subnets of /\(prefixLength) do not fit pod CIDR \(podCIDR)")
        }
        try ClaimFiles.makeDirectories(directory)
        let lockPath = directory + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PodNetworkError(.io, "cannot open \(lockPath): \(LinuxCalls.errorText(errno))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PodNetworkError(.io, "cannot lock \(lockPath): \(LinuxCalls.errorText(errno))") }
        }
        return try body()
    }
}
