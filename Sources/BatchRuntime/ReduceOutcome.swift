/// What a reduce attempt achieved.
public struct ReduceOutcome: Sendable, Equatable {
    public var counters: ReduceCounters
    /// False when another attempt had already committed the partition: this attempt's output was
    /// discarded and the task still succeeds (first success wins).
    public var committed: Bool
    /// `DIR/part-NNNNN`.
    public var outputPath: String
}
