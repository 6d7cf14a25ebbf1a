/// Hands out the pod IPs of one agent's subnet. Pure and deterministic: the agent checkpoints
/// `inUse` and rebuilds the allocator from it after a restart.
///
/// Allocation goes round the subnet (the lowest free address above the last one handed out,
/// wrapping), so an address released by a deleted pod is not given to the next pod at once while
/// stale endpoints or connections may still point at it. The network address, the broadcast
/// address and `reserved` ones (the bridge's) are never handed out.
public struct PodIPAM: Sendable, Equatable {
    public let subnet: IPv4Subnet
    /// Addresses never handed out (the bridge's when it lies in this subnet).
    public let reserved: Set<IPv4Address>
    /// Addresses handed out and not released.
    public private(set) var allocated: Set<IPv4Address> = []
    /// The last address handed out: the next search starts above it.
    private var cursor: UInt32

    /// An allocator for `subnet`, restored with `inUse` (addresses outside the subnet or not
    /// allocatable are ignored: they cannot have come from it).
    public init(subnet: IPv4Subnet, reserved: [IPv4Address] = [], inUse: [IPv4Address] = []) {
        self.subnet = subnet
        self.reserved = Set(reserved)
        self.cursor = subnet.network.value
        for address in inUse where isAllocatable(address) {
            allocated.insert(address)
        }
        if let highest = allocated.max() { cursor = highest.value }
    }

    /// An allocator for an agent's `subnet` of the configured pod CIDR, keeping the bridge address.
    public init(configuration: PodNetworkConfiguration, subnet: IPv4Subnet, inUse: [IPv4Address] = []) {
        self.init(subnet: subnet, reserved: [configuration.bridgeAddress], inUse: inUse)
    }

    /// Addresses in use, in ascending order (what the agent checkpoints).
    public var inUse: [IPv4Address] { allocated.sorted() }

    /// How many addresses the subnet can hand out in total.
    public var capacity: Int {
        guard subnet.prefixLength <= 30 else { return 0 }
        let usable = (subnet.network.value + 1)...(subnet.broadcast.value - 1)
        return subnet.size - 2 - reserved.filter { usable.contains($0.value) }.count
    }

    /// How many addresses are still free.
    public var available: Int { capacity - allocated.count }

    /// Whether `address` could ever be handed out by this allocator.
    public func isAllocatable(_ address: IPv4Address) -> Bool {
        subnet.prefixLength <= 30 && subnet.contains(address) && address != subnet.network
            && address != subnet.broadcast && !reserved.contains(address)
    }

    /// Hands out the next free address.
    public mutating func allocate() throws(PodNetworkError) -> IPv4Address {
        guard available > 0 else {
            throw PodNetworkError(.addressesExhausted,
                                  "pod subnet \(subnet) is full (\(allocated.count) of \(capacity) addresses in use): delete pods on this agent or give the agent a larger subnet")
        }
        let first = subnet.network.value + 1
        let last = subnet.broadcast.value - 1
        var candidate = cursor
        for _ in 0..<subnet.size {
            candidate = candidate >= last || candidate < first ? first : candidate + 1
            let address = IPv4Address(value: candidate)
            if !reserved.contains(address) && !allocated.contains(address) {
                allocated.insert(address)
                cursor = candidate
                return address
            }
        }
        throw PodNetworkError(.addressesExhausted, "pod subnet \(subnet) has no free address")
    }

    /// Marks a specific address as used (re-adopting a pod found running after a restart).
    public mutating func markInUse(_ address: IPv4Address) throws(PodNetworkError) {
        guard isAllocatable(address) else {
            throw PodNetworkError(.invalidArgument, "address \(address) is not a pod address of subnet \(subnet)")
        }
        allocated.insert(address)
    }

    /// Returns `address` to the pool; false when it was not in use.
    @discardableResult
    public mutating func release(_ address: IPv4Address) -> Bool {
        allocated.remove(address) != nil
    }
}
