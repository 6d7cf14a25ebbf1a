/// An IPv4 address as a 32-bit number, so subnets and allocation are plain arithmetic.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The address in host byte order (`10.88.0.1` is `0x0A58_0001`).
    public var value: UInt32

    public init(value: UInt32) { self.value = value }

    /// Parses dotted-quad text (`10.88.1.7`); nil for anything else (no leading zeros, no CIDR).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part),
                  part.count == 1 || part.first != "0" else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    /// Parses text or throws an error naming the field it came from.
    public static func parse(_ text: String, what: String) throws(PodNetworkError) -> IPv4Address {
        guard let address = IPv4Address(text) else {
            throw PodNetworkError(.invalidArgument, "\(what) `\(text)` is not an IPv4 address like 10.88.1.7")
        }
        return address
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}
