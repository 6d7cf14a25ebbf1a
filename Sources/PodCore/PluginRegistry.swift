/// Every placement plugin by name, with a factory each — the one list to extend when adding a
/// plugin. A `SchedulerProfile` then picks from it by name.
public struct PluginRegistry: Sendable {
    public typealias FilterFactory = @Sendable () -> any FilterPlugin
    public typealias ScoreFactory = @Sendable () -> any ScorePlugin

    public var filters: [String: FilterFactory]
    public var scores: [String: ScoreFactory]

    public init(filters: [String: FilterFactory] = [:], scores: [String: ScoreFactory] = [:]) {
        self.filters = filters
        self.scores = scores
    }

    /// The plugins Fairway ships.
    public static let builtIn = PluginRegistry(
        filters: [
            ResourcesFit.name: { ResourcesFit() },
            NodeSelectorMatch.name: { NodeSelectorMatch() },
            PodsPerAgent.name: { PodsPerAgent() },
        ],
        scores: [
            SpreadReplicas.name: { SpreadReplicas() },
            LeastAllocated.name: { LeastAllocated() },
        ]
    )
}
