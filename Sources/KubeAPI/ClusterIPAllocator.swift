/// Service cluster IPs from the service CIDR: the network address, the `.1` address and the
/// broadcast address are never handed out; an address is never given twice while allocated;
/// allocation walks forward from the last one so a released address is not reused at once.
public struct ClusterIPAllocator: Sendable {
    public let network: UInt32
    public let prefixLength: Int
    private(set) var allocated: Set<UInt32> = []
    private var cursor: UInt32

    /// `cidr` like `10.96.0.0/16` (prefix 8 to 30).
    public init(cidr: String) throws(KubeError) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let address = Self.parse(String(parts[0])), let prefix = Int(parts[1]), (8...30).contains(prefix) else {
            throw KubeError.badRequest("service CIDR \"\(cidr)\" is not an IPv4 CIDR with a prefix between /8 and /30 (e.g. 10.96.0.0/16)")
        }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        network = address & mask
        prefixLength = prefix
        cursor = network + 2
    }

    var size: UInt32 { UInt32(1) << UInt32(32 - prefixLength) }
    var first: UInt32 { network + 2 }
    var last: UInt32 { network + size - 2 }

    public func contains(_ ip: UInt32) -> Bool { ip >= first && ip <= last }

    public func isAllocated(_ ip: UInt32) -> Bool { allocated.contains(ip) }

    /// The next free address (not yet marked), or nil when the range is full.
    public func nextFree() -> UInt32? {
        var candidate = cursor
        for _ in 0..<(last - first + 1) {
            if candidate > last || candidate < first { candidate = first }
            if !allocated.contains(candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    public mutating func mark(_ ip: UInt32) {
        allocated.insert(ip)
        cursor = ip + 1
    }

    public mutating func release(_ ip: UInt32) { allocated.remove(ip) }

    public static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    public static func format(_ ip: UInt32) -> String {
        "\(ip >> 24).\((ip >> 16) & 255).\((ip >> 8) & 255).\(ip & 255)"
    }
}
