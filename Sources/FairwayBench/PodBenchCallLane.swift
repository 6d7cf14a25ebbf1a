import FairwayProto
import Synchronization

/// Scheduler calls from the bench's pods shell to the in-process master, handled one after the
/// other in the order they were made, off the shell's actor — what FrameworkKit's `MasterCalls`
/// does over HTTP for `PodService`. With `coalesceDemand`, a REQUEST still waiting in the lane is
/// replaced by a newer one instead of queueing behind it (PodService sends every one).
final class PodBenchCallLane: Sendable {
    private enum Item: Sendable {
        case call(Fairway_V1_Scheduler_Call)
        /// The newest REQUEST, read when its turn comes.
        case latestDemand
    }

    private let continuation: AsyncStream<Item>.Continuation
    private let pendingDemand = Mutex<Fairway_V1_Scheduler_Call?>(nil)
    private let coalesceDemand: Bool
    private let sent = Mutex<[Fairway_V1_Scheduler_Call.TypeEnum: Int]>([:])

    init(master: PodBenchMaster, coalesceDemand: Bool) {
        self.coalesceDemand = coalesceDemand
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self)
        self.continuation = continuation
        Task { [self] in
            for await item in stream {
                switch item {
                case .call(let call):
                    await master.call(call)
                case .latestDemand:
                    if let call = self.pendingDemand.withLock({ pending in defer { pending = nil }; return pending }) {
                        await master.call(call)
                    }
                }
            }
        }
    }

    func send(_ call: Fairway_V1_Scheduler_Call) {
        sent.withLock { $0[call.type, default: 0] += 1 }
        guard coalesceDemand, call.type == .request else {
            continuation.yield(.call(call))
            return
        }
        let queued = pendingDemand.withLock { pending in
            defer { pending = call }
            return pending != nil
        }
        if !queued { continuation.yield(.latestDemand) }
    }

    /// Calls made, by type (before coalescing).
    var counts: [String: Int] {
        sent.withLock { counts in Dictionary(uniqueKeysWithValues: counts.map { ("\($0.key)", $0.value) }) }
    }

    func finish() { continuation.finish() }
}
