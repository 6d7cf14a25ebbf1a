/// One entry of `status.conditions` (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`).
public struct PodCondition: Hashable, Sendable {
    public var type: String
    public var status: Bool
    public var reason: String?
    public var message: String?
    /// When `status` last changed, in seconds.
    public var lastTransitionTime: Double

    public init(type: String, status: Bool, reason: String? = nil, message: String? = nil, lastTransitionTime: Double) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}
