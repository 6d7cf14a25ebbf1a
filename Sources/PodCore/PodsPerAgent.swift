/// Filter: an agent takes at most `maximum` pods (the kubelet's `--max-pods`). Each agent hands
/// its pods addresses from one /24 of the pod CIDR, so past 254 a pod could not have an IP of its
/// own; the default stays under that.
public struct PodsPerAgent: FilterPlugin {
    public static let name = "PodsPerAgent"
    public static let tooMany = "too many pods"
    public static let defaultMaximum = 250

    public var name: String { Self.name }
    public let maximum: Int

    public init(maximum: Int = PodsPerAgent.defaultMaximum) {
        self.maximum = maximum
    }

    public func filter(pod: PodRequest, agent: AgentCandidate) -> FilterResult {
        agent.podsOnAgent < maximum ? .fit : .unfit(reason: Self.tooMany)
    }
}
