import Foundation

/// Wall time spent in named parts of the pods bench (placement, master calls, store writes…),
/// summed per part, so the report can say where the time goes. Each actor keeps its own and the
/// report merges them; times measured around an `await` include waiting for the other actor.
struct PodBenchTimes: Sendable {
    private(set) var seconds: [String: Double] = [:]
    private(set) var counts: [String: Int] = [:]

    /// Adds the time since `start` (a `Stopwatch.nanoseconds()` reading) to `part`.
    mutating func add(_ part: String, since start: UInt64) {
        seconds[part, default: 0] += Double(Stopwatch.nanoseconds() - start) / 1e9
        counts[part, default: 0] += 1
    }

    /// Runs `body`, adding its duration to `part`.
    mutating func measure<T>(_ part: String, _ body: () throws -> T) rethrows -> T {
        let start = Stopwatch.nanoseconds()
        defer { add(part, since: start) }
        return try body()
    }

    mutating func merge(_ other: PodBenchTimes) {
        for (part, value) in other.seconds { seconds[part, default: 0] += value }
        for (part, value) in other.counts { counts[part, default: 0] += value }
    }

    /// `{part: {"s": seconds, "n": count}}`, rounded for the JSON line.
    var json: [String: Any] {
        Dictionary(uniqueKeysWithValues: seconds.map { part, value in
            (part, ["s": BenchStatistics.rounded(value, 3), "n": counts[part] ?? 0] as [String: Any])
        })
    }
}
