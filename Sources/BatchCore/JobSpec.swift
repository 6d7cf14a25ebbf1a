/// A job's identity, chosen by the shell (unique per framework, readable: it prefixes every attempt ID).
public typealias JobID = String

/// What a user asked for when submitting a job. Pure data: the shell builds it from the job API request,
/// validates it with `validate(splits:largestAgent:)` and persists it as part of `Job`.
public struct JobSpec: Sendable, Codable, Equatable {
    /// A label for people; the job is addressed by its `JobID`.
    public var name: String
    public var kind: JobKind
    /// Cpus of every attempt of every task (Mesos scalar, three decimals are kept).
    public var cpus: Double
    /// Memory of every attempt in MB.
    public var memMB: Double
    /// Counted failures of one task before the whole job fails (Hadoop `mapreduce.map.maxattempts` = 4).
    public var maxAttempts: Int
    /// Wall time from launch after which an attempt is killed and counted as failed; nil = never.
    public var taskTimeout: Double?
    /// Whether stragglers get a backup attempt (Hadoop `mapreduce.*.speculative` = true).
    public var speculative: Bool
    /// Seconds a map with input hosts waits for an offer from one of them before running anywhere.
    public var localityDelay: Double

    public init(name: String, kind: JobKind, cpus: Double = 1, memMB: Double = 128, maxAttempts: Int = 4,
                taskTimeout: Double? = nil, speculative: Bool = true, localityDelay: Double = 3) {
        self.name = name
        self.kind = kind
        self.cpus = cpus
        self.memMB = memMB
        self.maxAttempts = maxAttempts
        self.taskTimeout = taskTimeout
        self.speculative = speculative
        self.localityDelay = localityDelay
    }
}

/// The two job shapes users submit.
public enum JobKind: Sendable, Codable, Equatable {
    /// N independent runs of one command (each sees its index as `FAIRWAY_TASK_INDEX`).
    case array(ArraySpec)
    /// Hadoop-streaming map/reduce: one map per input split, `reducers` reduce partitions.
    case mapReduce(MapReduceSpec)
}

/// An array job: `count` tasks of one shell command.
public struct ArraySpec: Sendable, Codable, Equatable {
    public var command: String
    public var count: Int

    public init(command: String, count: Int) {
        self.command = command
        self.count = count
    }
}

/// A map/reduce job with Hadoop-streaming semantics; mapper, reducer and combiner are shell commands.
public struct MapReduceSpec: Sendable, Codable, Equatable {
    /// Input paths or globs as the user gave them (the shell expands them into `InputFile`s).
    public var inputs: [String]
    /// Output directory; reduce attempts commit `part-NNNNN` files into it themselves.
    public var output: String
    public var mapper: String
    public var reducer: String
    public var combiner: String?
    /// Number of reduce tasks (= partitions of the map output); Hadoop's default is 1.
    public var reducers: Int
    /// Bytes per input split; a file's tail up to 10 % over this stays in one split.
    public var splitSize: Int
    /// Fraction of maps that must be done before reduces may be launched (Hadoop default 0.05).
    public var reduceSlowstart: Double

    /// 64 MiB, Hadoop's classic block size.
    public static let defaultSplitSize = 64 << 20

    public init(inputs: [String], output: String, mapper: String, reducer: String, combiner: String? = nil,
                reducers: Int = 1, splitSize: Int = MapReduceSpec.defaultSplitSize, reduceSlowstart: Double = 0.05) {
        self.inputs = inputs
        self.output = output
        self.mapper = mapper
        self.reducer = reducer
        self.combiner = combiner
        self.reducers = reducers
        self.splitSize = splitSize
        self.reduceSlowstart = reduceSlowstart
    }
}
