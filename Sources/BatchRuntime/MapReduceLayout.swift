/// Where the map and reduce tasks put things, shared with the framework that reads them back:
/// map outputs in the map task's sandbox, reduce outputs in the job's output directory.
public enum MapReduceLayout {
    /// In a map task's sandbox: `map-output/part-00000 …` and `_DONE` once all are written.
    public static let mapOutputDirectory = "map-output"
    public static let doneMarker = "_DONE"
    /// In every task's sandbox: the task's counters as a flat JSON object (`MapCounters`/`ReduceCounters`).
    public static let countersFile = "counters.json"
    /// In a reduce task's sandbox: map outputs fetched from other agents.
    public static let reduceInputDirectory = "reduce-input"
    /// In the job's output directory: uncommitted attempt output, `_temporary/<attempt>/part-NNNNN`.
    public static let temporaryDirectory = "_temporary"

    /// `part-00007`: a partition's file name, in map output and in the job's output.
    public static func partitionFileName(_ partition: Int) -> String {
        StreamingRecord.partitionFileName(partition)
    }

    /// The path of partition `partition` of the map output in `sandbox`.
    public static func mapOutputPath(sandbox: String, partition: Int) -> String {
        sandbox + "/" + mapOutputDirectory + "/" + partitionFileName(partition)
    }
}
