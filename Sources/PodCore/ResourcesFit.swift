/// Filter: the offer's remaining cpus and memory cover the pod's request.
public struct ResourcesFit: FilterPlugin {
    public static let name = "ResourcesFit"
    public static let insufficientCPU = "insufficient cpu"
    public static let insufficientMemory = "insufficient memory"

    public var name: String { Self.name }

    public init() {}

    public func filter(pod: PodRequest, agent: AgentCandidate) -> FilterResult {
        if pod.cpuQuantity > agent.freeCpus { return .unfit(reason: Self.insufficientCPU) }
        if pod.memQuantity > agent.freeMem { return .unfit(reason: Self.insufficientMemory) }
        return .fit
    }
}
