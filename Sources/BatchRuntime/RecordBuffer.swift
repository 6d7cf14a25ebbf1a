/// Map output records held in memory: their bytes in one arena and, per record, where it is, how
/// long its key is and its partition. `sort` orders them by (partition, key bytes, arrival), which
/// is Hadoop's map-side sort and stable for equal keys.
///
/// Each entry carries the key's first eight bytes as a big-endian integer, so most comparisons
/// are one integer compare instead of a `memcmp` through the arena.
struct RecordBuffer {
    struct Entry {
        var start: Int
        var length: Int32
        var keyLength: Int32
        var partition: Int32
        var sequence: Int32
        var keyPrefix: UInt64
    }

    /// Record bytes; pointers into it stay valid while nothing is appended.
    let arena: ByteStorage
    private(set) var entries: [Entry] = []
    /// After `sort`: the entries of partition p are `partitionRanges[p]`.
    private(set) var partitionRanges: [Range<Int>] = []
    let partitions: Int

    init(partitions: Int, capacity: Int = 1 << 20) {
        self.partitions = partitions
        self.arena = ByteStorage(capacity: capacity)
    }

    var count: Int { entries.count }
    var byteCount: Int { arena.count }
    /// Record bytes plus the entries that index them.
    var memoryUsed: Int { arena.count + entries.count * MemoryLayout<Entry>.stride }
    var isEmpty: Bool { entries.isEmpty }

    /// The largest record and the most records one buffer holds (entries use 32-bit fields).
    static let maximumRecordLength = Int(Int32.max)

    mutating func append(_ line: UnsafeRawBufferPointer, keyLength: Int, partition: Int) throws(BatchRuntimeError) {
        guard line.count < Self.maximumRecordLength, entries.count < Int(Int32.max) else {
            throw BatchRuntimeError("a map output record of \(line.count) bytes is too large; records must be under 2 GiB")
        }
        entries.append(Entry(start: arena.count, length: Int32(line.count), keyLength: Int32(keyLength),
                             partition: Int32(partition), sequence: Int32(entries.count),
                             keyPrefix: Self.prefix(of: line, keyLength: keyLength)))
        arena.append(line)
    }

    /// The first eight key bytes, big-endian, zero-padded: comparing two prefixes orders the keys
    /// unless they are equal, when the lengths or the remaining bytes decide.
    static func prefix(of line: UnsafeRawBufferPointer, keyLength: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 {
            value <<= 8
            if index < keyLength { value |= UInt64(line[index]) }
        }
        return value
    }

    /// Bytewise key order of two entries: negative, zero or positive.
    func compareKeys(_ left: Entry, _ right: Entry) -> Int {
        if left.keyPrefix != right.keyPrefix { return left.keyPrefix < right.keyPrefix ? -1 : 1 }
        if left.keyLength <= 8 || right.keyLength <= 8 { return Int(left.keyLength) - Int(right.keyLength) }
        let base = arena.base
        return StreamingRecord.compareKeys(base + left.start + 8, Int(left.keyLength) - 8, base + right.start + 8, Int(right.keyLength) - 8)
    }

    mutating func sort() {
        var sorted = entries
        entries = []
        let buffer = self
        sorted.sort { left, right in
            if left.partition != right.partition { return left.partition < right.partition }
            let order = buffer.compareKeys(left, right)
            return order != 0 ? order < 0 : left.sequence < right.sequence
        }
        entries = sorted
        var ranges: [Range<Int>] = []
        var index = 0
        for partition in 0..<partitions {
            let first = index
            while index < entries.count && entries[index].partition == partition { index += 1 }
            ranges.append(first..<index)
        }
        partitionRanges = ranges
    }

    /// The line of the entry at `index` (valid while nothing is appended) and its key length.
    func record(at index: Int) -> (line: UnsafeRawBufferPointer, keyLength: Int) {
        let entry = entries[index]
        return (arena.bytes(from: entry.start, count: Int(entry.length)), Int(entry.keyLength))
    }

    mutating func removeAll() {
        arena.count = 0
        entries.removeAll(keepingCapacity: true)
        partitionRanges = []
    }
}
