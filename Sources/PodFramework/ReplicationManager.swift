import Foundation
import KubeAPI
import Logging
import PodCore

/// Keeps every replication controller at `spec.replicas` active pods: creates pods from its
/// template, deletes the surplus and pods that ended (they are replaced), and reports
/// `status.replicas` and `readyReplicas`. Deleting a controller deletes its pods through the API
/// server's garbage collection (owner references).
actor ReplicationManager {
    let store: KubeStore
    let writes: StoreWrites
    let logger: Logger
    /// Controllers by uid.
    var controllers: [String: JSON] = [:]
    /// Pods by uid, only those owned by a controller.
    var pods: [String: JSON] = [:]
    /// Pods this manager deleted whose DELETED event has not come yet: a late MODIFIED must not
    /// bring them back.
    var deleting: Set<String> = []
    var dirty: Set<String> = []
    let wakeup = Wakeup()

    init(store: KubeStore, writes: StoreWrites, logger: Logger) {
        self.store = store
        self.writes = writes
        self.logger = logger
    }

    func run() async {
        let store = self.store, logger = self.logger
        let watches = [
            Task { await ObjectWatch(store: store, resource: .replicationControllers, logger: logger).run(
                from: nil, resync: { await self.resyncControllers($0) }, change: { await self.controllerChanged($0) }) },
            Task { await ObjectWatch(store: store, resource: .pods, logger: logger).run(
                from: nil, resync: { await self.resyncPods($0) }, change: { await self.podChanged($0) }) },
        ]
        await wakeup.run(watches: watches) { await self.reconcileDirty() }
    }

    private func markDirty(_ uid: String) {
        dirty.insert(uid)
        wakeup.signal()
    }

    func resyncControllers(_ items: [JSON]) {
        controllers = Dictionary(items.compactMap { rc in rc.string("metadata", "uid").map { ($0, rc) } }, uniquingKeysWith: { _, last in last })
        for uid in controllers.keys { markDirty(uid) }
    }

    func controllerChanged(_ event: WatchEvent) {
        guard let uid = event.object.string("metadata", "uid") else { return }
        controllers[uid] = event.type == .deleted ? nil : event.object
        if event.type == .deleted {
            removeOrphans(of: uid)
        } else {
            markDirty(uid)
        }
    }

    /// Pods a deleted controller still owns (made by a reconcile that raced with the deletion) go
    /// too, unless the deletion orphaned them on purpose (then their owner reference is gone).
    private func removeOrphans(of uid: String) {
        for (podUID, pod) in pods where Self.owner(of: pod) == uid {
            guard let namespace = pod.string("metadata", "namespace"), let name = pod.string("metadata", "name") else { continue }
            deleting.insert(podUID)
            writes.write("removal of pod \(namespace)/\(name) of a deleted replication controller") { store in
                _ = try store.delete(.pods, namespace: namespace, name: name)
            }
        }
    }

    func resyncPods(_ items: [JSON]) {
        pods = [:]
        for pod in items { podChanged(WatchEvent(type: .added, object: pod)) }
    }

    func podChanged(_ event: WatchEvent) {
        guard let uid = event.object.string("metadata", "uid"), let owner = Self.owner(of: event.object) else { return }
        if event.type == .deleted {
            pods[uid] = nil
            deleting.remove(uid)
        } else if !deleting.contains(uid) {
            pods[uid] = event.object
        }
        markDirty(owner)
    }

    static func owner(of pod: JSON) -> String? {
        (pod[path: "metadata", "ownerReferences"]?.arrayValue ?? []).first {
            $0["controller"]?.boolValue == true && $0.string("kind") == "ReplicationController"
        }?.string("uid")
    }

    private func reconcileDirty() async {
        while let uid = dirty.popFirst() {
            guard let rc = controllers[uid] else { continue }
            await reconcile(rc, uid: uid)
        }
    }

    private func reconcile(_ rc: JSON, uid: String) async {
        let namespace = rc.string("metadata", "namespace") ?? "default", name = rc.string("metadata", "name") ?? ""
        let owned = pods.values.filter { Self.owner(of: $0) == uid }
        let views = owned.map { pod in
            let status = PodStatusView(json: pod)
            return ReplicaPlanner.OwnedPod(name: pod.string("metadata", "name") ?? "", phase: status.phase,
                                           ready: status.condition("Ready")?.status == true,
                                           scheduled: pod.string("spec", "nodeName") != nil,
                                           createdAt: pod.string("metadata", "creationTimestamp").flatMap(Timestamps.parse)?.timeIntervalSince1970 ?? 0)
        }
        let replicas = Int(rc[path: "spec", "replicas"]?.intValue ?? 1)
        let decision = ReplicaPlanner.decide(replicas: replicas, pods: views)
        for podName in decision.delete {
            guard let pod = owned.first(where: { $0.string("metadata", "name") == podName }),
                  let podUID = pod.string("metadata", "uid") else { continue }
            do {
                _ = try await store.delete(.pods, namespace: namespace, name: podName)
                pods[podUID] = nil
                deleting.insert(podUID)
            } catch {
                logger.warning("replication controller \(namespace)/\(name): cannot delete pod \(podName): \(error)")
            }
        }
        var created = 0
        // The controller may be gone already (its DELETED event not seen yet): create nothing then.
        let stillThere = decision.create > 0
            ? (try? await store.get(.replicationControllers, namespace: namespace, name: name))?.string("metadata", "uid") == uid : true
        for _ in 0..<(stillThere ? decision.create : 0) {
            do {
                let pod = try await store.create(.pods, namespace: namespace, object: Self.pod(from: rc, uid: uid))
                if let podUID = pod.string("metadata", "uid") { pods[podUID] = pod }
                created += 1
            } catch {
                logger.warning("replication controller \(namespace)/\(name): cannot create a pod: \(error)")
                await recordEvent(rc, warning: true, reason: "FailedCreate", message: "Error creating: \(error)")
                break
            }
        }
        if created > 0 {
            await recordEvent(rc, warning: false, reason: "SuccessfulCreate", message: "Created \(created) pod\(created == 1 ? "" : "s")")
        }
        if !decision.delete.isEmpty {
            await recordEvent(rc, warning: false, reason: "SuccessfulDelete", message: "Deleted pods: \(decision.delete.joined(separator: ", "))")
        }
        let surplus = decision.delete.count - views.filter(\.phase.isTerminal).count
        var status: JSON = ["replicas": .int(Int64(decision.status.replicas + created - surplus)),
                            "readyReplicas": .int(Int64(decision.status.readyReplicas)),
                            "availableReplicas": .int(Int64(decision.status.availableReplicas)),
                            "fullyLabeledReplicas": .int(Int64(decision.status.fullyLabeledReplicas))]
        if let generation = rc[path: "metadata", "generation"] { status["observedGeneration"] = generation }
        guard rc["status"] != status else { return }
        let newStatus = status
        writes.write("status of replication controller \(namespace)/\(name)") { store in
            _ = try store.modify(.replicationControllers, namespace: namespace, name: name, subresource: "status") { object in
                guard object.string("metadata", "uid") == uid else { return }
                object["status"] = newStatus
            }
        }
    }

    /// A new pod from the controller's template, owned by it.
    static func pod(from rc: JSON, uid: String) -> JSON {
        let name = rc.string("metadata", "name") ?? "rc"
        var metadata = rc[path: "spec", "template", "metadata"] ?? .emptyObject
        metadata["name"] = nil
        metadata["generateName"] = .string(name + "-")
        metadata["ownerReferences"] = [["apiVersion": "v1", "kind": "ReplicationController", "name": .string(name),
                                        "uid": .string(uid), "controller": true, "blockOwnerDeletion": true]]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": rc[path: "spec", "template", "spec"] ?? .emptyObject]
    }

    private func recordEvent(_ rc: JSON, warning: Bool, reason: String, message: String) async {
        let involved: JSON = ["kind": "ReplicationController", "apiVersion": "v1", "metadata": rc["metadata"] ?? .emptyObject]
        writes.write("event \(reason)") { store in
            store.recordEvent(involving: involved, type: warning ? "Warning" : "Normal", reason: reason,
                                        message: message, source: "replication-controller")
        }
    }
}
