import KubeAPI
import Logging

/// Lists a resource, then watches it from the list's resourceVersion, and lists again whenever
/// the watch ends (410 Expired after falling behind, say): the informer pattern. `resync` gets every
/// full list; `change` every event in between.
struct ObjectWatch: Sendable {
    let store: KubeStore
    let resource: KubeResource
    let logger: Logger
    /// The framework's own watches sit in this process and keep up unless the machine is swamped;
    /// a burst of creates (10,000 pods, four changes each) must not make them relist.
    static let buffer = 200_000

    func run(from resourceVersion: UInt64?, resync: @escaping @Sendable ([JSON]) async -> Void,
             change: @escaping @Sendable (WatchEvent) async -> Void) async {
        var from = resourceVersion
        while !Task.isCancelled {
            if from == nil {
                do {
                    let list = try await store.list(resource, namespace: nil, labels: nil, fields: nil)
                    await resync(list.items)
                    from = list.resourceVersion
                } catch {
                    logger.error("cannot list \(resource.name): \(error)")
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
            }
            do {
                let events = try await store.watch(resource, namespace: nil, labels: nil, fields: nil, from: from, buffer: Self.buffer)
                for await event in events {
                    if event.type == .error { break }
                    if event.type == .bookmark { continue }
                    await change(event)
                }
            } catch {
                logger.warning("watch of \(resource.name) ended: \(error); listing again")
            }
            from = nil
        }
    }
}
