/// `fairway-bench pods throughput|startup …`: the pods framework's two benchmarks (issue 5).
enum PodsBenchmark {
    static let usage = """
        usage: fairway-bench pods throughput [--agents N (5000)] [--pods N (10000)] [--controllers N (20)] ...
               fairway-bench pods startup [--pods N (200)] [--rate PODS_PER_SECOND (20)] ...
        Run `fairway-bench pods throughput|startup --help` for details. Build in release mode.
        """

    /// Runs the mode named first in `arguments`; nil when only help was asked for.
    static func run(_ arguments: [String]) async throws -> [String: Any]? {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "throughput":
            guard let benchmark = try PodThroughputBenchmark.parse(rest) else { return nil }
            return try await benchmark.run()
        case "startup":
            guard let benchmark = try PodStartupBenchmark.parse(rest) else { return nil }
            return try await benchmark.run()
        case "help", "--help", "-h":
            print(usage)
            return nil
        default:
            throw BenchError("`fairway-bench pods` needs a mode, throughput or startup, not '\(arguments.first ?? "")'; see `fairway-bench pods --help`")
        }
    }
}
