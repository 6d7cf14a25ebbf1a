/// Watches: a stream of changes after a resourceVersion, fed without ever blocking writers.
extension KubeStore {
    /// Changes to the selected objects. With `resourceVersion` nil or 0 the stream starts with an
    /// ADDED event for each object selected now, then follows changes; with a version it
    /// replays the changes after it (an ERROR 410 Expired and the end when they are no longer
    /// kept: list again). A watcher that falls `buffer` events behind (`watcherBuffer` when nil)
    /// gets 410 and ends.
    public func watch(_ resource: KubeResource, namespace: String?, labels: LabelSelector? = nil, fields: FieldSelector? = nil,
                      from resourceVersion: UInt64? = nil, buffer: Int? = nil) throws(KubeError) -> AsyncStream<WatchEvent> {
        try fields?.validate(for: resource)
        let filter = WatchFilter(resource: resource, namespace: namespace, labels: labels, fields: fields)
        let initial: [WatchEvent]
        if let version = resourceVersion, version > 0 {
            guard let changes = window.changes(after: version) else {
                let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self)
                continuation.yield(.error(.expired("too old resource version: \(version) (\(window.startResourceVersion + 1))")))
                continuation.finish()
                return stream
            }
            initial = changes.compactMap(filter.event(for:))
        } else {
            initial = matching(filter).map { WatchEvent(type: .added, object: $0) }
        }
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self,
                                                            bufferingPolicy: .bufferingNewest(max(1, buffer ?? options.watcherBuffer) + initial.count))
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[id] = Watcher(filter: filter, continuation: continuation, buffer: buffer ?? options.watcherBuffer)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        for event in initial { continuation.yield(event) }
        return stream
    }

    func removeWatcher(_ id: Int) {
        watchers[id] = nil
    }

    func notify(_ record: ChangeRecord) {
        for (id, watcher) in watchers {
            guard let event = watcher.filter.event(for: record) else { continue }
            switch watcher.continuation.yield(event) {
            case .enqueued: break
            case .dropped:
                // The buffer was full: this watcher has lost an event, so it must relist.
                logger.warning("dropping a watch of \(watcher.filter.resource.name) that fell \(watcher.buffer) events behind")
                watchers[id] = nil
                watcher.continuation.yield(.error(.expired("the watch fell too far behind (more than \(watcher.buffer) events pending); list again and watch from the new resourceVersion")))
                watcher.continuation.finish()
            case .terminated:
                watchers[id] = nil
            @unknown default:
                break
            }
        }
    }
}
