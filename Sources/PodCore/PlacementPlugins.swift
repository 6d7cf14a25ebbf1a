/// The verdict of one filter on one (pod, agent) pair. Reasons use Kubernetes's words
/// ("insufficient cpu") because they end up in the pod's `PodScheduled=False` message.
public enum FilterResult: Hashable, Sendable {
    case fit
    case unfit(reason: String)
}

/// A feasibility stage: may this pod go on this agent at all?
///
/// The placer evaluates pods of identical shape (cpus, memory, nodeSelector, controllerKey)
/// together, so a filter must decide from those fields and the candidate alone.
public protocol FilterPlugin: Sendable {
    var name: String { get }
    func filter(pod: PodRequest, agent: AgentCandidate) -> FilterResult
}

/// A ranking stage: how good is this feasible agent for this pod, from 0 (worst) to 100 (best)?
/// The placer sums `weight × score` over the enabled score plugins and picks the highest total.
///
/// Like filters, a score must depend only on the pod's shape and the candidate itself.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    var weight: Double { get }
    func score(pod: PodRequest, agent: AgentCandidate) -> Double
}
