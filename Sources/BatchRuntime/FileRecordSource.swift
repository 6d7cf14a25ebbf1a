/// Records from a sorted file (or a window of one), one per line.
final class FileRecordSource: SortedRecordSource {
    private let reader: LineReader
    private(set) var keyLength = 0

    init(reader: LineReader) {
        self.reader = reader
    }

    /// The whole file at `path`.
    convenience init(path: String, what: String) throws(BatchRuntimeError) {
        let fd = try POSIXFiles.openForReading(path, what: what)
        self.init(reader: LineReader(fd: fd, name: "\(what) \(path)", ownsDescriptor: true))
    }

    var line: UnsafeRawBufferPointer { reader.line }

    func advance() throws -> Bool {
        guard try reader.advance() else { return false }
        keyLength = StreamingRecord.keyLength(of: reader.line)
        return true
    }
}
