/// A pod's `status` as the pods framework reports it: the shell renders it as Kubernetes JSON.
public struct PodStatusView: Hashable, Sendable {
    public var phase: PodPhase = .pending
    public var conditions: [PodCondition] = []
    /// The agent's hostname, shown as the pod's node.
    public var nodeName: String?
    public var hostIP: String?
    public var podIP: String?
    public var startTime: Double?
    /// Pod-level reason (`NodeLost`, `Evicted`) and message when the pod failed as a whole.
    public var reason: String?
    public var message: String?
    public var containers: [ContainerStatusView] = []

    public init() {}

    /// Sets a condition, keeping its transition time when the status does not change.
    public mutating func setCondition(_ type: String, _ status: Bool, reason: String? = nil, message: String? = nil,
                                      now: Double) {
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            let old = conditions[index]
            conditions[index] = PodCondition(type: type, status: status, reason: reason, message: message,
                                             lastTransitionTime: old.status == status ? old.lastTransitionTime : now)
        } else {
            conditions.append(PodCondition(type: type, status: status, reason: reason, message: message, lastTransitionTime: now))
        }
    }

    public func condition(_ type: String) -> PodCondition? { conditions.first { $0.type == type } }

    /// Recomputes phase and the readiness conditions from the containers.
    public mutating func refresh(now: Double) {
        if reason == nil { phase = PodPhase.derive(from: containers) }
        let allReady = !containers.isEmpty && containers.allSatisfy(\.ready) && !phase.isTerminal
        let notReady = containers.filter { !$0.ready }.map(\.name)
        let why = notReady.isEmpty ? nil : "containers with unready status: [\(notReady.joined(separator: " "))]"
        setCondition("Initialized", true, now: now)
        setCondition("ContainersReady", allReady, reason: allReady ? nil : (phase.isTerminal ? "PodCompleted" : "ContainersNotReady"),
                     message: allReady || phase.isTerminal ? nil : why, now: now)
        setCondition("Ready", allReady, reason: allReady ? nil : (phase.isTerminal ? "PodCompleted" : "ContainersNotReady"),
                     message: allReady || phase.isTerminal ? nil : why, now: now)
    }
}
