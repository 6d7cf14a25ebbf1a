import FairwayCore

/// Score: prefer the agent left with the most free capacity after this pod — the mean over cpu
/// and memory of `(free - request) / total × 100`, as Kubernetes's LeastAllocated does.
public struct LeastAllocated: ScorePlugin {
    public static let name = "LeastAllocated"

    public var name: String { Self.name }
    public var weight: Double

    public init(weight: Double = 1) { self.weight = weight }

    public func score(pod: PodRequest, agent: AgentCandidate) -> Double {
        let cpu = Self.fraction(free: agent.freeCpus, request: pod.cpuQuantity, total: agent.totalCpus)
        let mem = Self.fraction(free: agent.freeMem, request: pod.memQuantity, total: agent.totalMem)
        return (cpu + mem) * 50
    }

    static func fraction(free: Scalar, request: Scalar, total: Scalar) -> Double {
        guard total.millis > 0 else { return 0 }
        let left = max(0, free.millis - request.millis)
        return min(1, Double(left) / Double(total.millis))
    }
}
