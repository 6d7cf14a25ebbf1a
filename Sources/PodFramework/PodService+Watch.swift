import Foundation
import KubeAPI
import PodCore

extension PodService {
    /// Loads pods and services before subscribing, so the first offers and the reconciliation see
    /// every pod: pods bound to an agent continue where they were, the others wait for offers.
    func recover() async throws {
        let pods = try await store.list(.pods, namespace: nil, labels: nil, fields: nil)
        syncPods(pods.items)
        let services = try await store.list(.services, namespace: nil, labels: nil, fields: nil)
        syncServices(services.items)
        let logger = self.logger, store = self.store
        background.append(Task {
            await ObjectWatch(store: store, resource: .pods, logger: logger).run(
                from: pods.resourceVersion, resync: { await self.syncPods($0) }, change: { await self.podChanged($0) })
        })
        background.append(Task {
            await ObjectWatch(store: store, resource: .services, logger: logger).run(
                from: services.resourceVersion, resync: { await self.syncServices($0) }, change: { await self.serviceChanged($0) })
        })
    }

    func syncPods(_ items: [JSON]) {
        let now = Self.now()
        var present = Set<String>()
        for pod in items {
            guard let uid = pod.string("metadata", "uid") else { continue }
            present.insert(uid)
            podAdded(pod, now: now)
        }
        for uid in manifests.keys where !present.contains(uid) {
            manifests[uid] = nil
            perform(tracker.remove(uid: uid, now: now))
        }
    }

    func podChanged(_ event: WatchEvent) {
        let now = Self.now()
        switch event.type {
        case .added, .modified: podAdded(event.object, now: now)
        case .deleted:
            guard let uid = event.object.string("metadata", "uid") else { return }
            perform(tracker.remove(uid: uid, now: now))
            manifests[uid] = nil
        case .error, .bookmark: break
        }
    }

    private func podAdded(_ pod: JSON, now: Double) {
        guard let uid = pod.string("metadata", "uid"), !uid.isEmpty else { return }
        if manifests[uid] != nil {
            // Most changes are this framework's own status writes; the manifest only matters until
            // the pod is launched, so only a waiting pod's is read again.
            if tracker.agent(of: uid) == nil { manifests[uid] = PodManifest(json: pod) }
            return
        }
        let manifest = PodManifest(json: pod)
        manifests[uid] = manifest
        let status = PodStatusView(json: pod)
        if let agentID = pod.string("metadata", "annotations", Self.agentAnnotation) {
            tracker.restore(manifest.definition, agentID: agentID, status: status, now: now)
        } else if !status.phase.isTerminal {
            perform(tracker.add(manifest.definition, now: now))
        }
    }

    func syncServices(_ items: [JSON]) {
        services.removeAll()
        for service in items { serviceChanged(WatchEvent(type: .added, object: service)) }
    }

    func serviceChanged(_ event: WatchEvent) {
        guard let namespace = event.object.string("metadata", "namespace"), let name = event.object.string("metadata", "name") else { return }
        services[namespace, default: [:]][name] = event.type == .deleted ? nil : event.object
    }

    func startControllers() {
        let logger = self.logger, store = self.store, writes = self.writes
        background.append(Task { await ReplicationManager(store: store, writes: writes, logger: logger).run() })
        background.append(Task { await EndpointsController(store: store, writes: writes, logger: logger).run() })
        if options.serviceNetwork {
            let options = self.options
            background.append(Task { await ServiceNetworkController(store: store, options: options, logger: logger).run() })
        }
    }
}
