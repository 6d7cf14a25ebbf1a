import Foundation

/// A wrong flag or value on the command line (the message says what to type instead), or a
/// benchmark child process that failed.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Walks `--flag value` pairs (no ArgumentParser: the bench stays a small, fast-starting binary).
struct BenchFlags {
    private var iterator: IndexingIterator<[String]>

    init(_ arguments: [String]) { iterator = arguments.makeIterator() }

    mutating func next() -> String? { iterator.next() }

    mutating func value(for flag: String) throws(BenchError) -> String {
        guard let value = iterator.next() else { throw BenchError("\(flag) needs a value") }
        return value
    }

    mutating func integer(for flag: String, minimum: Int = 1) throws(BenchError) -> Int {
        let text = try value(for: flag)
        guard let number = Int(text), number >= minimum else {
            throw BenchError("\(flag) needs a whole number of at least \(minimum), not '\(text)'")
        }
        return number
    }

    mutating func number(for flag: String) throws(BenchError) -> Double {
        let text = try value(for: flag)
        guard let number = Double(text), number.isFinite, number > 0 else {
            throw BenchError("\(flag) needs a positive number, not '\(text)'")
        }
        return number
    }
}

/// Monotonic wall-clock readings for timing code under test.
enum Stopwatch {
    static func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` and returns its result with the elapsed milliseconds.
    static func milliseconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = nanoseconds()
        let result = try body()
        return (result, Double(nanoseconds() - start) / 1_000_000)
    }
}

enum BenchStatistics {
    /// Nearest-rank percentile of sorted values (`p` in 0...1); 0 for no values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((Double(sorted.count) * p).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    static func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }

    /// Rounded to `places` decimals, so the JSON stays readable.
    static func rounded(_ value: Double, _ places: Int = 3) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    /// This process's peak resident set size in MiB (getrusage's ru_maxrss is in KiB on Linux).
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return rounded(Double(usage.ru_maxrss) / 1024, 1)
    }
}

enum BenchOutput {
    /// One JSON object on one line, keys sorted.
    static func line(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes one line to stdout at once (no stdio buffering, so a parent reading a pipe sees it).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("fairway-bench: \(message)\n".utf8))
    }
}
