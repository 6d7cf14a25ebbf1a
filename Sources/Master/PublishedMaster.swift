import FairwayProto
import NIOConcurrencyHelpers

/// The master as the read-only endpoints see it: the state machine's value as of a recent change,
/// with what the service adds (flags, the allocation latency histogram).
///
/// `MasterState` is a struct of copy-on-write collections, so publishing it is an assignment; the
/// GET_* calls, `/master/state`, `/fairness` and `/metrics` render from it on their own tasks and
/// never wait for (or stall) the master actor while they render, however large the cluster.
public struct PublishedMaster: Sendable {
    public var state: MasterState
    /// The master's flags, as GET_FLAGS and `/master/state` list them.
    public var flags: [Fairway_V1_Master_Response.Flag]
    /// How long allocation passes took.
    public var allocationLatency: LatencyHistogram
    /// The configured offer timeout, for the hoarding rule of the fairness view.
    public var offerTimeout: Double?
}

/// The latest `PublishedMaster` behind a lock, and whether the master has changed since.
///
/// Publishing is cheap, but the first change after it copies the tables the change touches (the
/// published value still shares them), which costs milliseconds with 10,000 agents. So the master
/// publishes after a change only when its last publication is older than a short interval, and
/// otherwise marks the box stale; a reader that finds it stale asks the master to publish first
/// (`MasterService.published()`), so reads always see every change made before them.
public final class PublishedMasterBox: Sendable {
    private struct Contents {
        var value: PublishedMaster?
        var stale = true
    }

    private let box = NIOLockedValueBox(Contents())

    public init() {}

    /// The last published value and whether the master has changed since.
    public func read() -> (value: PublishedMaster?, stale: Bool) {
        box.withLockedValue { ($0.value, $0.stale) }
    }

    var isStale: Bool { box.withLockedValue { $0.stale } }

    func markStale() {
        box.withLockedValue { $0.stale = true }
    }

    func publish(_ value: PublishedMaster) {
        // The previous value is released after the lock is dropped: freeing a large state is not
        // something readers should wait for.
        let previous = box.withLockedValue { contents -> PublishedMaster? in
            defer {
                contents.value = value
                contents.stale = false
            }
            return contents.value
        }
        _ = previous
    }
}
