/// Pending pods in arrival order, with O(1) removal by uid (a deleted or placed pod leaves
/// without shifting the rest). Pods mostly leave from the front (oldest placed first): those
/// slots are dropped by moving `base`, without renumbering the rest; holes elsewhere are
/// compacted once they outnumber live pods. The
/// pending demand per shape and the pending replicas per controller are kept as pods come and go,
/// so asking for them costs nothing however long the queue.
public struct PodQueue: Sendable {
    private var slots: [PodRequest?] = []
    /// uid → absolute index; the pod is at `slots[index - base]`.
    private var position: [String: Int] = [:]
    private var base = 0
    /// Slots before this one are all empty.
    private var head = 0
    private var shapes: [Shape: Int] = [:]
    private var perController: [String: Int] = [:]
    /// The newest `createdAt` queued, and whether an older pod came after it (a failed launch
    /// puts its pods back), so the slots must be sorted before they are read oldest first.
    private var newest = -Double.infinity
    private var unordered = false

    private struct Shape: Hashable {
        var cpus: Double
        var memMB: Double
    }

    public init() {}

    public init(_ pods: [PodRequest]) {
        for pod in pods { add(pod) }
    }

    public var count: Int { position.count }
    public var isEmpty: Bool { position.isEmpty }

    public func contains(uid: String) -> Bool { position[uid] != nil }

    public subscript(uid: String) -> PodRequest? {
        guard let index = position[uid] else { return nil }
        return slots[index - base]
    }

    /// Appends a pod; a uid already queued is updated in place and keeps its turn.
    public mutating func add(_ pod: PodRequest) {
        if let index = position[pod.uid] {
            if let old = slots[index - base] { count(old, -1) }
            slots[index - base] = pod
            count(pod, 1)
            return
        }
        position[pod.uid] = base + slots.count
        slots.append(pod)
        count(pod, 1)
        if pod.createdAt < newest { unordered = true }
        newest = max(newest, pod.createdAt)
    }

    /// Removes a pod by uid; returns it if it was queued.
    @discardableResult
    public mutating func remove(uid: String) -> PodRequest? {
        guard let index = position.removeValue(forKey: uid) else { return nil }
        let pod = slots[index - base].take()
        if let pod { count(pod, -1) }
        while head < slots.count, slots[head] == nil { head += 1 }
        if head > 32, head * 2 > slots.count {
            slots.removeFirst(head)
            base += head
            head = 0
        } else if slots.count > 32, slots.count > 2 * position.count {
            compact()
        }
        return pod
    }

    /// What waits, one entry per shape (cpus, memory), smallest first.
    public var demand: [PodDemand] {
        shapes.map { PodDemand(cpus: $0.key.cpus, memMB: $0.key.memMB, count: $0.value) }
            .sorted { ($0.cpus, $0.memMB) < ($1.cpus, $1.memMB) }
    }

    /// How many replicas of a controller wait.
    public func count(ofController key: String) -> Int { perController[key] ?? 0 }

    private mutating func count(_ pod: PodRequest, _ change: Int) {
        let shape = Shape(cpus: pod.cpus, memMB: pod.memMB)
        let left = shapes[shape, default: 0] + change
        shapes[shape] = left > 0 ? left : nil
        if let key = pod.controllerKey {
            let replicas = perController[key, default: 0] + change
            perController[key] = replicas > 0 ? replicas : nil
        }
    }

    /// The queued pods in the order they came.
    public var pods: [PodRequest] { slots.compactMap { $0 } }

    /// The smallest cpus and the smallest memory any queued pod asks for (from different pods,
    /// maybe); nil when none waits.
    public var smallest: (cpus: Double, memMB: Double)? {
        guard let cpus = shapes.keys.map(\.cpus).min(), let memMB = shapes.keys.map(\.memMB).min() else { return nil }
        return (cpus, memMB)
    }

    /// The queued pods oldest first (by `createdAt`, then arrival), read in place: placement walks
    /// them on every batch of offers, and copying a queue of thousands each time would dominate.
    public mutating func oldestFirst() -> some Sequence<PodRequest> {
        if unordered {
            let sorted = slots.compactMap { $0 }.enumerated().sorted {
                $0.element.createdAt != $1.element.createdAt ? $0.element.createdAt < $1.element.createdAt : $0.offset < $1.offset
            }
            slots = sorted.map(\.element)
            renumber()
            unordered = false
        }
        return slots[head...].lazy.compactMap { $0 }
    }

    private mutating func compact() {
        slots = slots.compactMap { $0 }
        renumber()
    }

    private mutating func renumber() {
        base = 0
        head = 0
        position.removeAll(keepingCapacity: true)
        for (index, pod) in slots.enumerated() {
            if let pod { position[pod.uid] = index }
        }
    }
}
