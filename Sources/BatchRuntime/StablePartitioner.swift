/// Assigns a map output key to one of R reduce partitions with FNV-1a 64-bit over the key's bytes.
///
/// The hash must be the same in every process, on every machine and in every release: all maps of a
/// job must send a key to the same reduce, and a re-run map must reproduce its partitions exactly.
/// Swift's `Hasher` is seeded per process, so it cannot be used here.
public struct StablePartitioner: Sendable, Hashable {
    public let partitions: Int

    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// `partitions` must be at least 1.
    public init(partitions: Int) {
        precondition(partitions >= 1, "a map/reduce job has at least one reduce partition")
        self.partitions = partitions
    }

    /// The FNV-1a 64-bit hash of `bytes`.
    public static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The partition (0 ..< partitions) of a key given as bytes.
    public func partition<Bytes: Sequence>(ofKey key: Bytes) -> Int where Bytes.Element == UInt8 {
        Int(Self.fnv1a64(key) % UInt64(partitions))
    }

    /// The partition of a key given as text (its UTF-8 bytes).
    public func partition(ofKey key: String) -> Int {
        partition(ofKey: key.utf8)
    }

    /// The partition of a key given as raw memory (the hot path of the map task).
    func partition(ofKey key: UnsafeRawBufferPointer) -> Int {
        var hash = Self.offsetBasis
        for byte in key {
            hash ^= UInt64(byte)
            hash = hash &* Self.prime
        }
        return Int(hash % UInt64(partitions))
    }
}
