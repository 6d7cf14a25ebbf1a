/// Which registered plugins run, in which order (filters: the first failing one names the
/// reason an agent is unfit), and optionally with which weight for scores.
public struct SchedulerProfile: Hashable, Sendable {
    public struct ScoreEntry: Hashable, Sendable {
        public var name: String
        /// nil keeps the plugin's own default weight.
        public var weight: Double?

        public init(name: String, weight: Double? = nil) {
            self.name = name
            self.weight = weight
        }
    }

    public var filters: [String]
    public var scores: [ScoreEntry]

    public init(filters: [String], scores: [ScoreEntry]) {
        self.filters = filters
        self.scores = scores
    }

    /// Resources, node selector and pods per agent as filters; spreading (weight 2) and
    /// least-allocated (weight 1) as scores.
    public static let `default` = SchedulerProfile(
        filters: [ResourcesFit.name, NodeSelectorMatch.name, PodsPerAgent.name],
        scores: [ScoreEntry(name: SpreadReplicas.name), ScoreEntry(name: LeastAllocated.name)]
    )
}

/// A profile named a plugin the registry does not know.
public struct UnknownPluginError: Error, Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var known: [String]

    public var description: String {
        "unknown \(kind) plugin \"\(name)\" in the scheduler profile; use one of: \(known.joined(separator: ", "))"
    }
}
