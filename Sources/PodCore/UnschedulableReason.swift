/// Why a pod found no agent in a pass, counted per reason over the offers seen — what the shell
/// puts in the pod's `PodScheduled=False` condition and its FailedScheduling event.
public struct UnschedulableReason: Hashable, Sendable, CustomStringConvertible {
    /// Offers considered in the pass.
    public var agentsTotal: Int
    /// Offers that fitted all filters (always 0 for an unplaced pod; kept for the message).
    public var agentsAvailable: Int
    /// Offers per reason; each offer counts once, under its first failing filter.
    public var counts: [String: Int]

    public init(agentsTotal: Int, agentsAvailable: Int = 0, counts: [String: Int]) {
        self.agentsTotal = agentsTotal
        self.agentsAvailable = agentsAvailable
        self.counts = counts
    }

    /// Reasons sorted as Kubernetes shows them: by count descending, then by reason.
    public var sortedCounts: [(reason: String, count: Int)] {
        counts.map { (reason: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// `"0/3 agents are available: 2 insufficient cpu, 1 node selector mismatch."`
    public var message: String {
        let head = "\(agentsAvailable)/\(agentsTotal) agents are available"
        let parts = sortedCounts.map { "\($0.count) \($0.reason)" }
        if parts.isEmpty { return head + "." }
        return head + ": " + parts.joined(separator: ", ") + "."
    }

    public var description: String { message }
}
