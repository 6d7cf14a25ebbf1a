import Glibc

/// Hadoop streaming's record rule: a line `key<TAB>value` has the key before the first tab; a line
/// without a tab is all key with an empty value. Records are kept as their original line, so
/// nothing a mapper wrote is changed on the way to the reducer.
enum StreamingRecord {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")

    /// The number of key bytes at the start of `line`.
    static func keyLength(of line: UnsafeRawBufferPointer) -> Int {
        guard let base = line.baseAddress, line.count > 0 else { return 0 }
        guard let tab = memchr(base, Int32(tab), line.count) else { return line.count }
        return base.distance(to: UnsafeRawPointer(tab))
    }

    /// Bytewise order of two keys (a proper prefix sorts first): negative, zero or positive.
    static func compareKeys(_ left: UnsafeRawPointer?, _ leftCount: Int, _ right: UnsafeRawPointer?, _ rightCount: Int) -> Int {
        let common = min(leftCount, rightCount)
        if common > 0, let left, let right {
            let result = memcmp(left, right, common)
            if result != 0 { return Int(result) }
        }
        return leftCount - rightCount
    }

    /// `part-00007`: Hadoop's name for a partition's file (at least five digits).
    static func partitionFileName(_ partition: Int) -> String {
        let digits = String(partition)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
