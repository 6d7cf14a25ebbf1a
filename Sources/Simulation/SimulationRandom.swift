import FairwayCore

/// The draws a simulation makes, from the shared seeded generator, so a run is repeatable from
/// its `--seed`.
extension SeededRandom {
    /// Uniform in the range.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    mutating func index(below count: Int) -> Int { int(below: max(1, count)) }
}
