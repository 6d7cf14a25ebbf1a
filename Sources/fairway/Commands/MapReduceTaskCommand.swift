import ArgumentParser
import BatchCore
import BatchRuntime
import Foundation

/// The programs the batch framework launches for map and reduce tasks (not for people: the
/// framework builds these command lines). Exit status: 0 success, 1 the task failed, 2 a map
/// output could not be fetched, 64 bad arguments.
struct MapReduceTaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapreduce-task",
        abstract: "Run one map or reduce task of a batch map/reduce job (launched by the batch framework).",
        shouldDisplay: false,
        subcommands: [MapTaskCommand.self, ReduceTaskCommand.self])
}

struct MapTaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Feed one input split to the mapper and partition, sort (and combine) its output into the sandbox.")

    @Option(help: "The input file.") var splitPath: String
    @Option(help: "Byte offset where the split starts.") var splitOffset: Int
    @Option(help: "Length of the split in bytes.") var splitLength: Int
    @Option(help: "Number of reduce partitions.") var partitions: Int
    @Option(help: "The mapper shell command.") var mapper: String
    @Option(help: "The combiner shell command.") var combiner: String?
    @Option(help: "Where to copy the task's counters (JSON) for the framework.") var countersFile: String?

    func run() async throws {
        let status = await MapReduceTaskRunner.runMap(MapTaskOptions(
            split: InputSplit(path: splitPath, offset: splitOffset, length: splitLength),
            partitions: partitions, mapper: mapper, combiner: combiner))
        if status != 0 { throw ExitCode(status) }
        publishCounters(to: countersFile)
    }
}

struct ReduceTaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reduce",
        abstract: "Fetch one partition from every map, merge it by key into the reducer, commit its output.")

    @Option(help: "The partition to reduce.") var partition: Int
    @Option(help: "The reducer shell command.") var reducer: String
    @Option(help: "The job's output directory.") var output: String
    @Option(help: "This attempt's id (its scratch directory's name).") var attempt: String
    @Option(help: ArgumentHelp("A map output: INDEX=AGENT_ID@http://HOST:PORT/MAP_TASK_ID (repeated).", valueName: "map"))
    var map: [String] = []
    @Option(help: "The framework's GET /jobs/ID/map-outputs: poll it for maps that finish after the reduce started.")
    var mapOutputsURL: String?
    @Option(help: "The job's number of maps (with --map-outputs-url): merge once all are fetched.") var maps: Int?
    @Option(help: "Where to copy the task's counters (JSON) for the framework.") var countersFile: String?

    func run() async throws {
        let locations: [MapOutputLocation]
        do {
            locations = try map.map { try MapOutputLocation(parsing: $0) }
        } catch {
            throw ValidationError("\(error)")
        }
        let status = await MapReduceTaskRunner.runReduce(ReduceTaskOptions(
            partition: partition, reducer: reducer, outputDirectory: output, attemptID: attempt, maps: locations,
            mapOutputsURL: mapOutputsURL, totalMaps: maps))
        if status != 0 { throw ExitCode(status) }
        publishCounters(to: countersFile)
    }
}

/// Copies the counters the runner left in the sandbox to where the framework reads them (on the
/// storage every agent shares with it), written whole under a temporary name first. Counters are
/// informative: a failure to copy them does not fail the task.
private func publishCounters(to path: String?) {
    guard let path else { return }
    let source = TaskEnvironment.current().sandbox + "/" + MapReduceLayout.countersFile
    guard let data = FileManager.default.contents(atPath: source) else { return }
    let directory = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let temporary = path + ".tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
    _ = rename(temporary, path)
}
