/// Filter: every `nodeSelector` label of the pod equals the agent's attribute of that name.
public struct NodeSelectorMatch: FilterPlugin {
    public static let name = "NodeSelectorMatch"
    public static let mismatch = "node selector mismatch"

    public var name: String { Self.name }

    public init() {}

    public func filter(pod: PodRequest, agent: AgentCandidate) -> FilterResult {
        for (key, value) in pod.nodeSelector where agent.attributes[key] != value {
            return .unfit(reason: Self.mismatch)
        }
        return .fit
    }
}
