import ArgumentParser
import FairwayCore
import FairwayProto
import Foundation
import FrameworkKit

struct JobSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a job: 'array' (one command run N times) or 'mapreduce' (Hadoop-streaming).",
        subcommands: [ArrayJobSubmitCommand.self, MapReduceJobSubmitCommand.self])
}

/// Options every job takes, and what to do once it is submitted.
struct JobSubmitOptions: ParsableArguments {
    @Option(help: "A name for the job (shown by 'fairway job list').")
    var name: String?

    @Option(help: "Cpus per task.")
    var cpus: Double = 1

    @Option(help: "Memory per task, in MB.")
    var mem: Double = 128

    @Option(help: "Attempts per task before the job fails.")
    var maxAttempts = 4

    @Option(help: ArgumentHelp("Kill and retry an attempt running longer than this: seconds, or a duration like 90s, 10m.", valueName: "duration"))
    var timeout: String?

    @Flag(help: "Do not start backup attempts for stragglers.")
    var noSpeculation = false

    @Flag(help: "Wait for the job to finish, showing its progress; exit 1 if it fails or is killed.")
    var wait = false

    @OptionGroup var address: BatchAddressOption

    func validate() throws {
        if let timeout, DurationText.seconds(timeout).map({ $0 > 0 }) != true {
            throw ValidationError("--timeout wants a positive duration like 90, 90s or 10m")
        }
    }

    func apply(to spec: inout Fairway_V1_Batch_JobSpec) {
        if let name { spec.name = name }
        spec.cpus = cpus
        spec.mem = mem
        spec.maxAttempts = UInt32(clamping: max(maxAttempts, 0))
        if let timeout, let seconds = DurationText.seconds(timeout) { spec.taskTimeoutSeconds = seconds }
        spec.speculative = !noSpeculation
    }

    /// Submits, prints the job id, and with --wait follows it to the end.
    func submit(_ spec: Fairway_V1_Batch_JobSpec) async throws {
        let client = address.client
        let job = try await client.submit(spec)
        InspectOutput.write("submitted \(job.id)")
        guard wait else { return }
        let final = try await JobWaiter(client: client).follow(job.id)
        guard final.state == .succeeded else {
            InspectOutput.write("\(final.id) \(final.stateName)\(final.hasMessage ? ": \(final.message)" : "")")
            throw ExitCode.failure
        }
    }
}

struct ArrayJobSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "array",
        abstract: "Run one shell command N times; each run sees its index (0..N-1) as $FAIRWAY_TASK_INDEX.",
        discussion: "Example: fairway job submit array --count 1000 --wait -- 'echo task $FAIRWAY_TASK_INDEX'")

    @Option(help: "How many tasks.")
    var count: Int

    @OptionGroup var options: JobSubmitOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command (run with /bin/sh -c).", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard !commandText.isEmpty else { throw ValidationError("give the command after --, e.g. -- echo hi") }
    }

    private var commandText: String {
        (command.first == "--" ? Array(command.dropFirst()) : command).joined(separator: " ")
    }

    func run() async throws {
        var spec = Fairway_V1_Batch_JobSpec()
        spec.array.command = commandText
        spec.array.count = UInt32(clamping: count)
        options.apply(to: &spec)
        try await options.submit(spec)
    }
}

struct MapReduceJobSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapreduce",
        abstract: "Run a Hadoop-streaming map/reduce job: mapper and reducer are shell commands.",
        discussion: """
        Each map task runs the mapper with one split of the input on stdin; it writes key<TAB>value \
        lines. Records are partitioned by key over --reducers reduce tasks; each runs the reducer with \
        its records sorted by key on stdin, and its output becomes OUTPUT/part-NNNNN. Example:
          fairway job submit mapreduce --input 'books/*.txt' \\
            --output /tmp/counts --reducers 4 --wait \\
            --mapper "tr -s '[:space:]' '\\n'" --reducer 'uniq -c'
        """)

    @Option(name: .customLong("input"), parsing: .upToNextOption,
            help: ArgumentHelp("Input files, directories or globs (every agent must be able to read them).", valueName: "path"))
    var inputs: [String] = []

    @Option(help: "Output directory; must not exist yet or be empty.")
    var output: String

    @Option(help: "Mapper shell command.")
    var mapper: String

    @Option(help: "Reducer shell command.")
    var reducer: String

    @Option(help: "Combiner shell command, run on each map's sorted output before the shuffle.")
    var combiner: String?

    @Option(help: "Number of reduce tasks (output partitions).")
    var reducers = 1

    @Option(help: ArgumentHelp("Bytes per map split: a number, or with a unit like 16m, 1g.", valueName: "size"))
    var splitSize: String?

    @Option(help: ArgumentHelp("Fraction of maps done before reduces start (they fetch later maps' outputs as they finish).",
                               valueName: "fraction"))
    var reduceSlowstart: Double?

    @Option(name: .customLong("input-host"), help: ArgumentHelp(
        "A host holding the input on its local disk (repeat for several): maps prefer its offers for a few seconds.",
        valueName: "hostname"))
    var inputHosts: [String] = []

    @OptionGroup var options: JobSubmitOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one --input") }
        guard reducers >= 1 else { throw ValidationError("--reducers must be at least 1") }
        if let splitSize, Self.bytes(splitSize) == nil { throw ValidationError("--split-size wants bytes like 1048576, 64m or 1g") }
        if let reduceSlowstart, !(0...1).contains(reduceSlowstart) {
            throw ValidationError("--reduce-slowstart is a fraction between 0 and 1, e.g. 0.05")
        }
    }

    func run() async throws {
        var spec = Fairway_V1_Batch_JobSpec()
        let cwd = FileManager.default.currentDirectoryPath
        spec.mapReduce.inputs = inputs.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 }
        spec.mapReduce.output = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
        spec.mapReduce.mapper = mapper
        spec.mapReduce.reducer = reducer
        if let combiner { spec.mapReduce.combiner = combiner }
        spec.mapReduce.reducers = UInt32(clamping: reducers)
        if let splitSize, let bytes = Self.bytes(splitSize) { spec.mapReduce.splitSize = bytes }
        spec.mapReduce.inputHosts = inputHosts
        if let reduceSlowstart { spec.mapReduce.reduceSlowstart = reduceSlowstart }
        options.apply(to: &spec)
        try await options.submit(spec)
    }

    /// "1048576", "64k", "64m", "1g" → bytes.
    static func bytes(_ text: String) -> UInt64? {
        let lower = text.lowercased()
        let units: [Character: UInt64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let last = lower.last, let unit = units[last] {
            return UInt64(lower.dropLast()).flatMap { $0 > 0 ? $0 * unit : nil }
        }
        return UInt64(lower).flatMap { $0 > 0 ? $0 : nil }
    }
}
