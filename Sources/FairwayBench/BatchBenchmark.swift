import FairwayProto
import FairwayTesting
import Foundation
import FrameworkKit

/// The batch framework end to end: a master, agents and `fairway batch` (the real binaries), an
/// array job of trivial tasks timed from submit to the last finish, and a word count over a few
/// MB of real text timed against `sort | uniq -c` on the same input. Prints JSON Lines.
struct BatchBenchmark {
    var tasks = 5000
    var agents = 2
    var command = "true"
    var corpusMB = 16
    var reducers = 4

    static let usage = """
        usage: fairway-bench batch [--tasks N (5000)] [--agents N (2)] [--command CMD (true)] [--corpus-mb N (16)] [--reducers R (4)]
        Starts a master, agents and the batch framework from the fairway binary next to this one (or $FAIRWAY_BIN).
        1. An array job of N tasks running CMD (0.01 cpus, 8 MB each): tasks per second from submit to the last finish.
        2. A word count (mapper tr, reducer uniq -c, R reducers) over a corpus of real text (the copyright
           files under /usr/share/doc), against `tr | sort | uniq -c` over the same files.
        """

    static func parse(_ arguments: [String]) throws(BenchError) -> BatchBenchmark? {
        var benchmark = BatchBenchmark()
        var flags = BenchFlags(arguments)
        while let flag = flags.next() {
            switch flag {
            case "--tasks": benchmark.tasks = try flags.integer(for: flag)
            case "--agents": benchmark.agents = try flags.integer(for: flag)
            case "--command": benchmark.command = try flags.value(for: flag)
            case "--corpus-mb": benchmark.corpusMB = try flags.integer(for: flag)
            case "--reducers": benchmark.reducers = try flags.integer(for: flag)
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench batch`; see `fairway-bench batch --help`")
            }
        }
        return benchmark
    }

    func run() async throws -> [[String: Any]] {
        let cluster = try ProcessCluster(logLevel: "warning")
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        for index in 1...agents {
            try await cluster.startAgent(index: index, resources: "cpus:16;mem:16384;disk:10000;ports:[31000-32000]")
        }
        let client = BatchClient(address: try await cluster.startBatch())
        return [try await arrayThroughput(client), try await wordCount(client, root: cluster.root)]
    }

    private func arrayThroughput(_ client: BatchClient) async throws -> [String: Any] {
        var spec = Fairway_V1_Batch_JobSpec()
        spec.array.command = command
        spec.array.count = UInt32(tasks)
        spec.cpus = 0.01
        spec.mem = 8
        let job = try await finish(try await client.submit(spec), on: client)
        let seconds = job.finishedAt - job.submittedAt
        return [
            "benchmark": "batch_array_throughput",
            "tasks": tasks,
            "agents": agents,
            "command": command,
            "state": "\(job.state)".lowercased(),
            "seconds": (seconds * 1000).rounded() / 1000,
            "tasks_per_second": seconds > 0 ? (Double(tasks) / seconds).rounded() : 0,
            "attempts": job.counters.first { $0.name == "attempts_launched" }?.value ?? 0,
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
    }

    private func wordCount(_ client: BatchClient, root: URL) async throws -> [String: Any] {
        let input = root.appendingPathComponent("corpus")
        let bytes = try TextCorpus.write(to: input, bytes: corpusMB << 20, fileBytes: 4 << 20)
        var spec = Fairway_V1_Batch_JobSpec()
        spec.mapReduce.inputs = [input.path]
        spec.mapReduce.output = root.appendingPathComponent("counts").path
        spec.mapReduce.mapper = "LC_ALL=C tr -s '[:space:]' '\\n'"
        spec.mapReduce.reducer = "uniq -c"
        spec.mapReduce.reducers = UInt32(reducers)
        spec.mapReduce.splitSize = 4 << 20
        spec.cpus = 0.5
        spec.mem = 256
        let job = try await finish(try await client.submit(spec), on: client)
        let start = Date()
        let pipeline = Process()
        pipeline.executableURL = URL(fileURLWithPath: "/bin/sh")
        pipeline.arguments = ["-c", "cat \(input.path)/* | LC_ALL=C tr -s '[:space:]' '\\n' | LC_ALL=C sort | uniq -c > /dev/null"]
        try pipeline.run()
        pipeline.waitUntilExit()
        let pipelineSeconds = Date().timeIntervalSince(start)
        let seconds = job.finishedAt - job.submittedAt
        return [
            "benchmark": "batch_word_count",
            "input_mb": (Double(bytes) / 1_048_576 * 10).rounded() / 10,
            "maps": job.phases.first { $0.phase == .map }?.total ?? 0,
            "reducers": reducers,
            "state": "\(job.state)".lowercased(),
            "seconds": (seconds * 1000).rounded() / 1000,
            "sort_uniq_pipeline_seconds": (pipelineSeconds * 1000).rounded() / 1000,
        ]
    }

    private func finish(_ job: Fairway_V1_Batch_Job, on client: BatchClient) async throws -> Fairway_V1_Batch_Job {
        try await waitUntil("\(job.id) finishes", timeout: 1800, interval: 0.05) {
            [.succeeded, .failed, .killed].contains(try await client.job(job.id).state)
        }
        return try await client.job(job.id)
    }
}
