/// A map task's counters, Hadoop's names in snake case, written to `counters.json` in the sandbox
/// so the framework can add them up per job.
public struct MapCounters: Sendable, Equatable, Codable {
    /// Lines of the split fed to the mapper, and their bytes as in the file (newlines included).
    public var inputRecords: Int64 = 0
    public var inputBytes: Int64 = 0
    /// Lines the mapper wrote, and their bytes with one newline each.
    public var outputRecords: Int64 = 0
    public var outputBytes: Int64 = 0
    /// Records fed to and read back from the combiner (0 without one).
    public var combineInputRecords: Int64 = 0
    public var combineOutputRecords: Int64 = 0
    /// Sorted runs written to disk because the output did not fit the in-memory buffer.
    public var spilledRuns: Int64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case inputRecords = "map_input_records"
        case inputBytes = "map_input_bytes"
        case outputRecords = "map_output_records"
        case outputBytes = "map_output_bytes"
        case combineInputRecords = "combine_input_records"
        case combineOutputRecords = "combine_output_records"
        case spilledRuns = "spilled_runs"
    }

    /// One line for the task's stderr.
    public var summary: String {
        var text = "map: \(inputRecords) input records (\(inputBytes) bytes), \(outputRecords) output records (\(outputBytes) bytes)"
        if combineInputRecords > 0 || combineOutputRecords > 0 {
            text += ", combined \(combineInputRecords) into \(combineOutputRecords) records"
        }
        if spilledRuns > 0 { text += ", \(spilledRuns) spilled runs" }
        return text
    }
}
