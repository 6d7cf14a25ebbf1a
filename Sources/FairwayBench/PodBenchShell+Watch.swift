import Foundation
import KubeAPI
import PodCore

/// `PodService+Watch` and `ObjectWatch` as the bench runs them: list the pods, watch from the
/// list's resourceVersion, list again whenever the watch ends (410 after falling behind the
/// store's watcher buffer), and hand every new pod to the tracker.
extension PodBenchShell {
    /// Runs until cancelled.
    nonisolated func watchPods() async {
        var from: UInt64?
        while !Task.isCancelled {
            if from == nil {
                do {
                    let list = try await store.list(.pods, namespace: nil, labels: nil, fields: nil)
                    await syncPods(list.items)
                    from = list.resourceVersion
                } catch {
                    try? await Task.sleep(for: .milliseconds(100))
                    continue
                }
            }
            do {
                let events = try await store.watch(.pods, namespace: nil, labels: nil, fields: nil, from: from)
                for await event in events {
                    if event.type == .error { break }
                    if event.type == .bookmark { continue }
                    await podChanged(event)
                }
            } catch {}
            if Task.isCancelled { break }
            await count("watch_relists")
            from = nil
        }
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
        let manifest = times.measure("shell_manifest") { PodBenchManifest(json: pod) }
        guard !manifest.uid.isEmpty else { return }
        if manifests[manifest.uid] != nil {
            manifests[manifest.uid] = manifest
            return
        }
        manifests[manifest.uid] = manifest
        let phase = pod.string("status", "phase")
        if let agentID = pod.string("metadata", "annotations", Self.agentAnnotation) {
            var status = PodStatusView()
            if let phase, let parsed = PodPhase(rawValue: phase) { status.phase = parsed }
            tracker.restore(manifest.definition, agentID: agentID, status: status, now: now)
        } else if phase != "Succeeded", phase != "Failed" {
            let actions = times.measure("tracker_add") { tracker.add(manifest.definition, now: now) }
            perform(actions)
        }
    }
}
