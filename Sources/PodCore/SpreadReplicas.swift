/// Score: spread a controller's replicas — an agent with fewer replicas of the pod's controller
/// scores higher (100 with none, 50 with one, 33 with two, ...). Pods without a controller score
/// 100 everywhere, so this plugin never sways them.
public struct SpreadReplicas: ScorePlugin {
    public static let name = "SpreadReplicas"

    public var name: String { Self.name }
    public var weight: Double

    public init(weight: Double = 2) { self.weight = weight }

    public func score(pod: PodRequest, agent: AgentCandidate) -> Double {
        guard pod.controllerKey != nil else { return 100 }
        return 100 / Double(1 + max(0, agent.replicasOfController))
    }
}
