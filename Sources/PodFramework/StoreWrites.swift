import KubeAPI
import Logging
import Synchronization

/// Writes to the API store made in the order they were asked for, off the framework's actor: a
/// pod's status updates must never overtake one another, and an event must not hold up offers.
/// What queued up while the store was busy goes in as one batch (one SQLite transaction), so a
/// burst of launches costs a few commits, not one per pod.
final class StoreWrites: Sendable {
    typealias Write = IsolatedWrite

    private let queue = Mutex<(writes: [(what: String, write: Write)], finished: Bool)>(([], false))
    private let wakeup: AsyncStream<Void>.Continuation
    /// Most writes one transaction takes, so watchers hear of the first ones soon.
    static let batchLimit = 512

    private let worker = Mutex<Task<Void, Never>?>(nil)
    /// Pause before a batch whose transaction failed (a full disk, say) is tried again.
    static let retryDelay: Duration = .seconds(1)

    init(store: KubeStore, logger: Logger) {
        let (signals, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.wakeup = wakeup
        let task = Task { [self] in
            for await _ in signals {
                while true {
                    let writes = self.queue.withLock { state -> [(what: String, write: Write)] in
                        let taken = Array(state.writes.prefix(Self.batchLimit))
                        state.writes.removeFirst(taken.count)
                        return taken
                    }
                    if writes.isEmpty { break }
                    var outcome = await store.batch(writes)
                    // Nothing of it reached the disk: the same writes again, in order, until they do
                    // (what comes after waits, so no write overtakes them).
                    while !outcome.committed, !self.queue.withLock({ $0.finished }) {
                        logger.warning("\(writes.count) writes to the store failed together; trying again in 1 s")
                        try? await Task.sleep(for: Self.retryDelay)
                        outcome = await store.batch(writes)
                    }
                    for (what, error) in outcome.failures {
                        // A pod deleted meanwhile is the usual cause; nothing to retry.
                        logger.debug("\(what) not written: \(error)")
                    }
                }
                if self.queue.withLock({ $0.finished && $0.writes.isEmpty }) { break }
            }
        }
        worker.withLock { $0 = task }
    }

    func write(_ what: String, _ write: @escaping Write) {
        let accepted = queue.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.writes.append((what, write))
            return true
        }
        if accepted { wakeup.yield() }
    }

    /// Writes already asked for still go in (returns once they have); later ones are dropped.
    func finish() async {
        queue.withLock { $0.finished = true }
        wakeup.yield()
        wakeup.finish()
        await worker.withLock { $0 }?.value
    }
}
