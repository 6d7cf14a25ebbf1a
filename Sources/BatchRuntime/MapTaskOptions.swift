import BatchCore
/// Everything a map task needs, as the framework passes it on the command line
/// (`mapreduce-task map --split-path P --split-offset O --split-length L --partitions R
/// --mapper CMD [--combiner CMD]`) plus the task's environment.
public struct MapTaskOptions: Sendable, Equatable {
    public var split: InputSplit
    /// R, the number of reduce partitions.
    public var partitions: Int
    /// Run as `/bin/sh -c mapper` with the split's lines on stdin.
    public var mapper: String
    /// Run per partition over the sorted map output, whose place its output takes.
    public var combiner: String?
    public var environment: TaskEnvironment
    /// Bytes of map output held in memory before a sorted run is spilled to the sandbox's disk.
    public var spillThreshold: Int

    public static let defaultSpillThreshold = 64 << 20

    public init(split: InputSplit, partitions: Int, mapper: String, combiner: String? = nil,
                environment: TaskEnvironment = .current(), spillThreshold: Int = MapTaskOptions.defaultSpillThreshold) {
        self.split = split
        self.partitions = partitions
        self.mapper = mapper
        self.combiner = combiner
        self.environment = environment
        self.spillThreshold = spillThreshold
    }

    func validate() throws(BatchRuntimeError) {
        guard partitions >= 1 else {
            throw BatchRuntimeError("--partitions must be at least 1 (got \(partitions))", kind: .usage)
        }
        guard split.offset >= 0, split.length >= 0 else {
            throw BatchRuntimeError("--split-offset and --split-length must not be negative (got \(split.offset), \(split.length))", kind: .usage)
        }
        guard !mapper.isEmpty else {
            throw BatchRuntimeError("--mapper must be a command", kind: .usage)
        }
        if let combiner, combiner.isEmpty {
            throw BatchRuntimeError("--combiner must be a command when given", kind: .usage)
        }
    }

    /// The mapper's environment: the task's, plus Hadoop streaming's names for the split.
    var commandEnvironment: [String: String] {
        var variables = environment.variables
        variables["mapreduce_map_input_file"] = split.path
        variables["mapreduce_map_input_start"] = String(split.offset)
        variables["mapreduce_map_input_length"] = String(split.length)
        variables["mapreduce_job_reduces"] = String(partitions)
        return variables
    }
}
