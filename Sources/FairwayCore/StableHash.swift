/// Names derived from text that stay the same across runs, builds and machines (Swift's
/// `hashValue` is seeded per process): the agent's key and the tag of its pods' network
/// namespaces come from its work dir this way, so a test harness can find them again.
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes, in lowercase hex without leading zeros.
    public static func fnv1a(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        return String(value, radix: 16)
    }
}
