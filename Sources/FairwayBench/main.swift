import Foundation

/// `fairway-bench launch …` (end-to-end launch throughput; the default, so `make bench` and the
/// old flags keep working) or `fairway-bench allocator …` (the DRF allocator alone, in memory).
let usage = """
    usage: fairway-bench [launch] [--tasks N] [--agents N] [--command CMD] [--launcher L]
           fairway-bench allocator [--profile all|1k|5k|10k|20k|quota | --agents N --frameworks M] [--repeat K] ...
           fairway-bench batch [--tasks N] [--corpus-mb N] ...
           fairway-bench placement [--agents N] [--pods N]
           fairway-bench pods throughput|startup ...
    Run `fairway-bench launch|allocator|batch|placement --help` (or `pods throughput --help`) for details.
    Build in release mode.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "allocator":
        guard let benchmark = try AllocatorBenchmark.parse(Array(arguments.dropFirst())) else { exit(0) }
        exit(try benchmark.run() ? 0 : 1)
    case "batch":
        guard let benchmark = try BatchBenchmark.parse(Array(arguments.dropFirst())) else { exit(0) }
        for line in try await benchmark.run() { BenchOutput.emit(try BenchOutput.line(line)) }
    case "placement":
        guard let benchmark = try PlacementBenchmark.parse(Array(arguments.dropFirst())) else { exit(0) }
        BenchOutput.emit(try BenchOutput.line(benchmark.run()))
    case "pods":
        guard let result = try await PodsBenchmark.run(Array(arguments.dropFirst())) else { exit(0) }
        BenchOutput.emit(try BenchOutput.line(result))
    case "help", "--help", "-h":
        print(usage)
    default:
        let launchArguments = arguments.first == "launch" ? Array(arguments.dropFirst()) : arguments
        guard let benchmark = try LaunchBenchmark.parse(launchArguments) else { exit(0) }
        BenchOutput.emit(try BenchOutput.line(try await benchmark.run()))
    }
} catch let error as BenchError {
    FileHandle.standardError.write(Data("fairway-bench: \(error)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("fairway-bench: \(error)\n".utf8))
    exit(1)
}
