import FairwayCore
import FairwayTesting
import Foundation

/// End-to-end launch throughput: a real master and agents (the `fairway` binary), a framework on the
/// Swift SDK launching trivial tasks (`true`), timed from the first ACCEPT to the last TASK_FINISHED.
/// Prints one JSON object. Run in release mode: `make bench`.
struct LaunchBenchmark {
    var tasks = 2000
    var agents = 2
    var command = "true"
    /// The agents' `--launcher`: service (default), fairway or shell.
    var launcher = "service"

    static let usage = """
        usage: fairway-bench launch [--tasks N (2000)] [--agents N (2)] [--command CMD (true)] [--launcher service|fairway|shell]
        Starts a master and agents from the fairway binary next to this one (or $FAIRWAY_BIN),
        launches N tasks through the Swift SDK and prints throughput and latency as one JSON object.
        `launch` is the default subcommand: `fairway-bench --tasks 500` is `fairway-bench launch --tasks 500`.
        """

    /// Parses the flags after the subcommand; nil after printing the usage for `--help`.
    static func parse(_ arguments: [String]) throws(BenchError) -> LaunchBenchmark? {
        var benchmark = LaunchBenchmark()
        var flags = BenchFlags(arguments)
        while let flag = flags.next() {
            switch flag {
            case "--tasks": benchmark.tasks = try flags.integer(for: flag)
            case "--agents": benchmark.agents = try flags.integer(for: flag)
            case "--command": benchmark.command = try flags.value(for: flag)
            case "--launcher": benchmark.launcher = try flags.value(for: flag)
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench launch`; see `fairway-bench launch --help`")
            }
        }
        return benchmark
    }

    func run() async throws -> [String: Any] {
        let cluster = try ProcessCluster(logLevel: "warning")
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        for index in 1...agents {
            try await cluster.startAgent(index: index, resources: "cpus:16;mem:16384;disk:10000;ports:[31000-32000]",
                                         extra: ["--launcher", launcher])
        }
        let ids = (0..<tasks).map { "bench-\($0)" }
        let runner = TaskRunner(master: cluster.master, name: "launch-bench", commands: ids.map { ($0, command) },
                                cpus: 0.05, mem: 16)
        runner.start()
        try await waitUntil("all \(tasks) tasks are terminal", timeout: 600, interval: 0.01) { runner.terminalCount >= tasks }
        await runner.stop()
        let (launched, terminal) = runner.timings
        let start = launched.values.min() ?? 0
        let end = terminal.values.max() ?? 0
        let latencies = ids.compactMap { id -> Double? in
            guard let from = launched[id], let to = terminal[id] else { return nil }
            return (to - from) * 1000
        }.sorted()
        let finished = ids.filter { runner.latestState(of: $0) == .taskFinished }.count
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let seconds = end - start
        return [
            "benchmark": "launch_throughput",
            "tasks": tasks,
            "agents": agents,
            "command": command,
            "launcher": launcher,
            "finished": finished,
            "seconds": (seconds * 1000).rounded() / 1000,
            "tasks_per_second": seconds > 0 ? (Double(tasks) / seconds).rounded() : 0,
            "latency_ms_p50": percentile(0.5).rounded(),
            "latency_ms_p99": percentile(0.99).rounded(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
    }
}
