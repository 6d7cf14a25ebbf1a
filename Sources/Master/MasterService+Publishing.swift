/// Publishing the state for the read-only endpoints (see `PublishedMasterBox`).
extension MasterService {
    /// Makes the current state the one read-only endpoints render. An assignment: the state's
    /// collections are copy-on-write.
    func publish() {
        guard isReady else { return }
        publishedBox.publish(PublishedMaster(state: state, flags: publishedFlags, allocationLatency: allocationLatency,
                                             offerTimeout: options.offerTimeout))
        lastPublished = ContinuousClock.now
    }

    /// After every change: publish if the last publication is old enough, else mark it stale.
    func stateChanged() {
        if let last = lastPublished, last.duration(to: ContinuousClock.now) < Self.publishInterval {
            publishedBox.markStale()
        } else {
            publish()
        }
    }

    /// Publishes the current state if it changed since the last publication.
    func publishIfStale() {
        if publishedBox.isStale { publish() }
    }

    /// The state for a read-only endpoint, reflecting every change made before the call: the
    /// published value, after asking the actor to publish (an assignment) if it is stale. Rendering
    /// happens on the caller's task. Nil while the master is starting.
    public nonisolated func published() async -> PublishedMaster? {
        let (value, stale) = publishedBox.read()
        if let value, !stale { return value }
        await publishIfStale()
        return publishedBox.read().value
    }
}
