import BatchCore
/// Reads the lines an `InputSplit` owns, in order.
final class SplitLineReader {
    let split: InputSplit
    /// The split's bounds as file positions.
    private let offset: Int64
    private let end: Int64
    private let reader: LineReader
    private var skipped = false
    /// The file position where the next line starts.
    private var position: Int64

    /// Opens the split's file; throws a message naming the file when it cannot be read.
    init(split: InputSplit) throws(BatchRuntimeError) {
        guard split.offset >= 0, split.length >= 0 else {
            throw BatchRuntimeError("invalid split \(split): offset and length must not be negative", kind: .usage)
        }
        self.split = split
        offset = Int64(split.offset)
        end = Int64(split.offset) + Int64(split.length)
        let fd = try POSIXFiles.openForReading(split.path, what: "input split")
        // Starting one byte early tells whether a line begins exactly at `offset` (the byte before
        // it is a newline) or the split starts inside a line the previous split owns.
        let start = max(0, offset - 1)
        reader = LineReader(fd: fd, name: "input file \(split.path)", offset: start, limit: nil, ownsDescriptor: true)
        position = start
        skipped = split.offset == 0
    }

    /// Calls `body` with the next owned line (without its newline) and whether the file had a
    /// newline after it; nil when the split has no more lines.
    func next<Result>(_ body: (UnsafeRawBufferPointer, _ terminated: Bool) throws -> Result) throws -> Result? {
        if !skipped {
            skipped = true
            // Discard through the first newline at or after offset - 1: the rest of a line that
            // started before the split (or just the newline ending the previous line).
            guard try reader.next({ _, _ in () }) != nil else { return nil }
            position = offset - 1 + reader.consumed
        }
        guard position < end else { return nil }
        let before = reader.consumed
        let result = try reader.next(body)
        position += reader.consumed - before
        bytesRead += reader.consumed - before
        return result
    }

    /// Bytes of the owned lines read so far, newlines included.
    private(set) var bytesRead: Int64 = 0
}
