/// A Prometheus-style histogram of durations in seconds: counts per upper bound, the sum and the
/// count. A value, so the master can publish it with its state and render it off the actor.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds in seconds, from 100 µs to 1 s; anything slower lands only in `+Inf`.
    public static let defaultBounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    public let bounds: [Double]
    /// Observations per bucket (not cumulative); one more entry than `bounds`, the last for +Inf.
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    public init(bounds: [Double] = LatencyHistogram.defaultBounds) {
        self.bounds = bounds.sorted()
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    public mutating func record(_ seconds: Double) {
        let value = max(0, seconds)
        let index = bounds.firstIndex { value <= $0 } ?? bounds.count
        counts[index] += 1
        sum += value
        count += 1
    }

    /// Observations at or below each bound, as Prometheus's `_bucket{le=...}` lines want them;
    /// the last entry (+Inf) equals `count`.
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return counts.map { running += $0; return running }
    }
}
