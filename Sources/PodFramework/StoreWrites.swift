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

    init(store: KubeStore, logger: Logger) {
        let (signals, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.wakeup = wakeup
        Task { [self] in
            for await _ in signals {
                while true {
                    let writes = self.queue.withLock { state -> [(what: String, write: Write)] in
                        let taken = Array(state.writes.prefix(Self.batchLimit))
                        state.writes.removeFirst(taken.count)
                        return taken
                    }
                    if writes.isEmpty { break }
                    for (what, error) in await store.batch(writes) {
                        // A pod deleted meanwhile is the usual cause; nothing to retry.
                        logger.debug("\(what) not written: \(error)")
                    }
                }
                if self.queue.withLock({ $0.finished && $0.writes.isEmpty }) { break }
            }
        }
    }

    func write(_ what: String, _ write: @escaping Write) {
        let accepted = queue.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.writes.append((what, write))
            return true
        }
        if accepted { wakeup.yield() }
    }

    /// Writes already asked for still go in; later ones are dropped.
    func finish() {
        queue.withLock { $0.finished = true }
        wakeup.yield()
        wakeup.finish()
    }
}
