import KubeAPI
import Synchronization

/// The bench's copy of PodFramework's `StoreWrites`: writes to the API store made one after the
/// other in the order asked, off the shell's actor. It also notes when each pod's binding and
/// its first Running status reached the store (monotonic nanoseconds), which is what the
/// throughput and latency figures are measured to. With `coalesceStatus`, a pod's status write
/// still waiting in the lane is replaced by a newer one (each writes the whole `status`, so only
/// the newest matters); PodService writes every one.
final class PodBenchWrites: Sendable {
    enum Kind: String, Sendable {
        case binding = "store_binding"
        case status = "store_status"
        case runningStatus = "store_status_running"
        case event = "store_event"
    }

    typealias Write = @Sendable (KubeStore) async throws -> Void

    struct Record: Sendable {
        var boundAt: [String: UInt64] = [:]
        var runningAt: [String: UInt64] = [:]
        var failed = 0
        var replaced = 0
        var times = PodBenchTimes()
    }

    private enum Item: Sendable {
        case write(Kind, String, Write)
        /// The newest status write queued for this pod, taken when its turn comes.
        case latestStatus(String)
    }

    private let queue: AsyncStream<Item>.Continuation
    private let record = Mutex(Record())
    private let pendingStatus = Mutex<[String: (Kind, Write)]>([:])
    private let coalesceStatus: Bool

    init(store: KubeStore, coalesceStatus: Bool = false) {
        self.coalesceStatus = coalesceStatus
        let (stream, queue) = AsyncStream.makeStream(of: Item.self)
        self.queue = queue
        Task { [self] in
            for await item in stream {
                switch item {
                case .write(let kind, let pod, let write):
                    await self.run(kind, pod, write, store)
                case .latestStatus(let pod):
                    if let (kind, write) = self.pendingStatus.withLock({ $0.removeValue(forKey: pod) }) {
                        await self.run(kind, pod, write, store)
                    }
                }
            }
        }
    }

    private func run(_ kind: Kind, _ pod: String, _ write: Write, _ store: KubeStore) async {
        let start = Stopwatch.nanoseconds()
        var ok = true
        do { try await write(store) } catch { ok = false }
        let end = Stopwatch.nanoseconds()
        record.withLock { record in
            record.times.add(kind.rawValue, since: start)
            guard ok else {
                record.failed += 1
                return
            }
            switch kind {
            case .binding: record.boundAt[pod] = record.boundAt[pod] ?? end
            case .runningStatus: record.runningAt[pod] = record.runningAt[pod] ?? end
            case .status, .event: break
            }
        }
    }

    /// Queues `write`; `pod` names the pod it is about ("namespace/name").
    func write(_ kind: Kind, pod: String, _ write: @escaping Write) {
        guard coalesceStatus, kind == .status || kind == .runningStatus else {
            queue.yield(.write(kind, pod, write))
            return
        }
        let queued = pendingStatus.withLock { pending in
            defer { pending[pod] = (kind, write) }
            return pending[pod] != nil
        }
        if queued {
            record.withLock { $0.replaced += 1 }
        } else {
            queue.yield(.latestStatus(pod))
        }
    }

    var snapshot: Record { record.withLock { $0 } }

    var runningCount: Int { record.withLock { $0.runningAt.count } }

    func finish() { queue.finish() }
}
