/// The records of one partition of a sorted `RecordBuffer` (which must not change meanwhile).
final class MemoryRecordSource: SortedRecordSource {
    private let buffer: RecordBuffer
    private var index: Int
    private let end: Int
    private(set) var line = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var keyLength = 0

    init(buffer: RecordBuffer, partition: Int) {
        self.buffer = buffer
        let range = partition < buffer.partitionRanges.count ? buffer.partitionRanges[partition] : 0..<0
        index = range.lowerBound
        end = range.upperBound
    }

    func advance() throws -> Bool {
        guard index < end else { return false }
        (line, keyLength) = buffer.record(at: index)
        index += 1
        return true
    }
}
