/// What the pod scheduler has already placed where, so spreading can see existing replicas.
/// The shell records each launch (the placer does so for its own assignments) and removes pods
/// when they end or their agent is lost.
public struct PlacementState: Hashable, Sendable {
    public struct Placement: Hashable, Sendable {
        public var agentID: String
        public var controllerKey: String?
        public var placedAt: Double
    }

    public private(set) var pods: [String: Placement] = [:]
    /// controllerKey → agentID → replicas placed there.
    private var replicas: [String: [String: Int]] = [:]
    /// controllerKey → replicas placed anywhere.
    private var placed: [String: Int] = [:]
    /// agentID → pods placed there.
    private var perAgent: [String: Int] = [:]

    public init() {}

    public var count: Int { pods.count }

    /// Records a pod on an agent; recording a uid again moves it.
    public mutating func record(podUID: String, controllerKey: String?, agentID: String, at now: Double) {
        remove(podUID: podUID)
        pods[podUID] = Placement(agentID: agentID, controllerKey: controllerKey, placedAt: now)
        perAgent[agentID, default: 0] += 1
        if let key = controllerKey {
            replicas[key, default: [:]][agentID, default: 0] += 1
            placed[key, default: 0] += 1
        }
    }

    /// Forgets a pod (it ended or was deleted). Returns where it was.
    @discardableResult
    public mutating func remove(podUID: String) -> Placement? {
        guard let old = pods.removeValue(forKey: podUID) else { return nil }
        let left = (perAgent[old.agentID] ?? 1) - 1
        perAgent[old.agentID] = left > 0 ? left : nil
        if let key = old.controllerKey, var byAgent = replicas[key] {
            let left = (byAgent[old.agentID] ?? 1) - 1
            byAgent[old.agentID] = left > 0 ? left : nil
            replicas[key] = byAgent.isEmpty ? nil : byAgent
            let total = (placed[key] ?? 1) - 1
            placed[key] = total > 0 ? total : nil
        }
        return old
    }

    /// Forgets every pod on a lost agent; returns their uids, sorted.
    @discardableResult
    public mutating func removeAgent(_ agentID: String) -> [String] {
        let uids = pods.filter { $0.value.agentID == agentID }.map(\.key).sorted()
        for uid in uids { remove(podUID: uid) }
        return uids
    }

    public func agent(ofPod uid: String) -> String? { pods[uid]?.agentID }

    public func replicas(of controllerKey: String, on agentID: String) -> Int {
        replicas[controllerKey]?[agentID] ?? 0
    }

    /// Pods placed on an agent.
    public func pods(on agentID: String) -> Int { perAgent[agentID] ?? 0 }

    /// Replicas of a controller placed on any agent.
    public func replicas(of controllerKey: String) -> Int { placed[controllerKey] ?? 0 }

    /// agentID → replicas of one controller.
    public func replicasByAgent(of controllerKey: String) -> [String: Int] {
        replicas[controllerKey] ?? [:]
    }
}
