/// Pending pods in arrival order, with O(1) removal by uid (a deleted or placed pod leaves
/// without shifting the rest). Removed slots are compacted once they outnumber live pods.
public struct PodQueue: Sendable {
    private var slots: [PodRequest?] = []
    private var position: [String: Int] = [:]

    public init() {}

    public init(_ pods: [PodRequest]) {
        for pod in pods { add(pod) }
    }

    public var count: Int { position.count }
    public var isEmpty: Bool { position.isEmpty }

    public func contains(uid: String) -> Bool { position[uid] != nil }

    public subscript(uid: String) -> PodRequest? {
        guard let index = position[uid] else { return nil }
        return slots[index]
    }

    /// Appends a pod; a uid already queued is updated in place and keeps its turn.
    public mutating func add(_ pod: PodRequest) {
        if let index = position[pod.uid] {
            slots[index] = pod
            return
        }
        position[pod.uid] = slots.count
        slots.append(pod)
    }

    /// Removes a pod by uid; returns it if it was queued.
    @discardableResult
    public mutating func remove(uid: String) -> PodRequest? {
        guard let index = position.removeValue(forKey: uid) else { return nil }
        let pod = slots[index]
        slots[index] = nil
        if slots.count > 32, slots.count > 2 * position.count { compact() }
        return pod
    }

    /// The queued pods, oldest first.
    public var pods: [PodRequest] { slots.compactMap { $0 } }

    private mutating func compact() {
        slots = slots.compactMap { $0 }
        position.removeAll(keepingCapacity: true)
        for (index, pod) in slots.enumerated() {
            if let pod { position[pod.uid] = index }
        }
    }
}
