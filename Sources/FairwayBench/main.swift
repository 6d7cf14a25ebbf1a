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

    static func parse(_ arguments: [String]) -> LaunchBenchmark? {
        var benchmark = LaunchBenchmark()
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--tasks": benchmark.tasks = iterator.next().flatMap(Int.init) ?? benchmark.tasks
            case "--agents": benchmark.agents = iterator.next().flatMap(Int.init) ?? benchmark.agents
            case "--command": benchmark.command = iterator.next() ?? benchmark.command
            case "--launcher": benchmark.launcher = iterator.next() ?? benchmark.launcher
            case "--help", "-h":
                print("""
                usage: fairway-bench [--tasks N (2000)] [--agents N (2)] [--command CMD (true)] [--launcher service|fairway|shell]
                Starts a master and agents from the fairway binary next to this one (or $FAIRWAY_BIN),
                launches N tasks through the Swift SDK and prints throughput and latency as JSON.
                """)
                return nil
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument); see --help\n".utf8))
                exit(2)
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

guard let benchmark = LaunchBenchmark.parse(CommandLine.arguments) else { exit(0) }
do {
    let result = try await benchmark.run()
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("fairway-bench: \(error)\n".utf8))
    exit(1)
}
