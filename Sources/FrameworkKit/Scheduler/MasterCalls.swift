import FairwayProto
import Logging
import Synchronization

/// Calls to the master made in the order they were asked for, off the framework's actor, so a
/// slow call never holds up events; acknowledgements go on a few parallel lanes of their own.
public final class MasterCalls: Sendable {
    public typealias Call = @Sendable (any SchedulerLink) async throws -> Void

    private let ordered: AsyncStream<(String, Call)>.Continuation
    private let acknowledgements: AsyncStream<(String, Call)>.Continuation
    /// Status updates waiting to be acknowledged together (see `acknowledgeSoon`).
    let unacknowledged = Mutex<[Fairway_V1_TaskStatus]>([])

    public init(scheduler: any SchedulerLink, logger: Logger, acknowledgementLanes: Int = 8) {
        let (orderedStream, ordered) = AsyncStream.makeStream(of: (String, Call).self)
        let (ackStream, acknowledgements) = AsyncStream.makeStream(of: (String, Call).self)
        self.ordered = ordered
        self.acknowledgements = acknowledgements
        Task {
            for await (what, call) in orderedStream { await Self.run(what, call, scheduler, logger) }
        }
        Task {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await (what, call) in ackStream {
                    if running == acknowledgementLanes {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await Self.run(what, call, scheduler, logger) }
                    running += 1
                }
            }
        }
    }

    public func send(_ what: String, _ call: @escaping Call) { ordered.yield((what, call)) }

    public func acknowledge(_ what: String, _ call: @escaping Call) { acknowledgements.yield((what, call)) }

    public func finish() {
        flushAcknowledgements()
        ordered.finish()
        acknowledgements.finish()
    }

    private static func run(_ what: String, _ call: Call, _ scheduler: any SchedulerLink, _ logger: Logger) async {
        do {
            try await call(scheduler)
        } catch {
            logger.warning("\(what) failed: \(error)")
        }
    }
}
