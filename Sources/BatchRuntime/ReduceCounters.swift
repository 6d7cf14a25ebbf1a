/// A reduce task's counters, written to `counters.json` in its sandbox.
public struct ReduceCounters: Sendable, Equatable, Codable {
    /// Bytes of map output this partition received (read locally or downloaded).
    public var shuffleBytes: Int64 = 0
    /// Map outputs downloaded from another agent, and those read from this agent's disk.
    public var remoteFetches: Int64 = 0
    public var localReads: Int64 = 0
    /// Records (lines) fed to the reducer, and their bytes.
    public var inputRecords: Int64 = 0
    public var inputBytes: Int64 = 0
    /// Lines the reducer wrote, and their bytes.
    public var outputRecords: Int64 = 0
    public var outputBytes: Int64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case shuffleBytes = "reduce_shuffle_bytes"
        case remoteFetches = "reduce_remote_fetches"
        case localReads = "reduce_local_reads"
        case inputRecords = "reduce_input_records"
        case inputBytes = "reduce_input_bytes"
        case outputRecords = "reduce_output_records"
        case outputBytes = "reduce_output_bytes"
    }

    public var summary: String {
        "reduce: \(shuffleBytes) shuffle bytes from \(remoteFetches + localReads) maps (\(remoteFetches) fetched, \(localReads) local), "
            + "\(inputRecords) input records, \(outputRecords) output records (\(outputBytes) bytes)"
    }
}
