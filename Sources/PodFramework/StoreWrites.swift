import KubeAPI
import Logging

/// Writes to the API store made in the order they were asked for, off the framework's actor: a
/// pod's status updates must never overtake one another, and an event must not hold up offers.
final class StoreWrites: Sendable {
    typealias Write = @Sendable (KubeStore) async throws -> Void

    private let queue: AsyncStream<(String, Write)>.Continuation

    init(store: KubeStore, logger: Logger) {
        let (stream, queue) = AsyncStream.makeStream(of: (String, Write).self)
        self.queue = queue
        Task {
            for await (what, write) in stream {
                do {
                    try await write(store)
                } catch {
                    // A pod deleted meanwhile is the usual cause; nothing to retry.
                    logger.debug("\(what) not written: \(error)")
                }
            }
        }
    }

    func write(_ what: String, _ write: @escaping Write) { queue.yield((what, write)) }

    func finish() { queue.finish() }
}
