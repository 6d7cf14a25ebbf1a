/// An IPv4 network in CIDR form (`10.88.0.0/16`): the pod CIDR, an agent's /24, a service CIDR.
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The first address (host bits zero).
    public let network: IPv4Address
    public let prefixLength: Int

    /// A subnet from any address inside it and a prefix length of 0...32 (host bits are cleared).
    public init?(address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        self.network = IPv4Address(value: address.value & IPv4Subnet.mask(prefixLength))
    }

    /// Parses `A.B.C.D/N`; nil when malformed or when host bits are set (`10.88.0.1/16` is an
    /// address on a network, not a network).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])), let length = Int(parts[1]),
              let subnet = IPv4Subnet(address: address, prefixLength: length), subnet.network == address else { return nil }
        self = subnet
    }

    /// Parses text or throws an error naming the setting it came from.
    public static func parse(_ text: String, what: String) throws(PodNetworkError) -> IPv4Subnet {
        guard let subnet = IPv4Subnet(text) else {
            throw PodNetworkError(.invalidArgument, "\(what) `\(text)` is not a network in CIDR form like 10.88.0.0/16")
        }
        return subnet
    }

    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    /// How many addresses the subnet spans, network and broadcast included.
    public var size: Int { 1 << (32 - prefixLength) }

    /// The network's first usable address: the bridge's address for the pod CIDR.
    public var firstHost: IPv4Address { IPv4Address(value: network.value &+ 1) }

    /// The last address (all host bits set).
    public var broadcast: IPv4Address { IPv4Address(value: network.value | ~IPv4Subnet.mask(prefixLength)) }

    public func contains(_ address: IPv4Address) -> Bool {
        address.value & IPv4Subnet.mask(prefixLength) == network.value
    }

    /// The `index`-th subnet of `prefixLength` inside this one (`10.88.0.0/16`, 24, 2 → `10.88.2.0/24`);
    /// nil when out of range.
    public func subnet(_ index: Int, prefixLength length: Int) -> IPv4Subnet? {
        guard length >= prefixLength, length <= 32, index >= 0, index < 1 << (length - prefixLength) else { return nil }
        let start = network.value &+ UInt32(index) << UInt32(32 - length)
        return IPv4Subnet(address: IPv4Address(value: start), prefixLength: length)
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
