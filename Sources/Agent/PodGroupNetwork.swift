/// Names a task group on this agent: executor ids are unique only within a framework.
public struct ExecutorKey: Hashable, Sendable, CustomStringConvertible {
    public var frameworkID: String
    public var executorID: String

    public init(frameworkID: String, executorID: String) {
        self.frameworkID = frameworkID
        self.executorID = executorID
    }

    public var description: String { "executor \(executorID) of framework \(frameworkID)" }
}

/// The network of one pod (a task group whose executor asks for the network `fairway-pods`): its
/// own namespace with a pod IP, or the host network with the agent's IP and the reason. Kept in
/// the checkpoint, so a restarted agent keeps the namespaces of the pods that still run and knows
/// which IPs are taken.
public struct PodGroupNetwork: Sendable, Equatable {
    public var key: ExecutorKey
    /// The pod IP (own namespace) or the agent's IP (host network).
    public var ip: String
    /// Whether the pod has its own network namespace.
    public var isolated: Bool
    /// Why the pod runs on the host network (nil when isolated).
    public var hostReason: String?

    public init(key: ExecutorKey, ip: String, isolated: Bool, hostReason: String? = nil) {
        self.key = key
        self.ip = ip
        self.isolated = isolated
        self.hostReason = hostReason
    }

    /// The pod id PodNetwork names the namespace after.
    public var podID: String { key.executorID }

    /// The label value reporting the host network: `host (why)`.
    public var hostNote: String? {
        isolated ? nil : "host (\(hostReason ?? "pod networking unavailable"))"
    }

    /// The label that says a pod runs on the host network.
    public static let networkLabel = "fairway.pod/network"
}
