/// One sorted run of records that `RecordMerger` reads from: a map output file, a segment of a
/// spill file, or a partition of the in-memory buffer. `advance` moves to the next record, whose
/// line (without newline) is then `line`, valid until the next `advance`, with its key in the
/// first `keyLength` bytes.
protocol SortedRecordSource: AnyObject {
    var line: UnsafeRawBufferPointer { get }
    var keyLength: Int { get }
    /// Moves to the next record; false when the run is exhausted.
    func advance() throws -> Bool
}
