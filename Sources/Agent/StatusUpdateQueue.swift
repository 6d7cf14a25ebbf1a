import FairwayProto
import Foundation

/// The agent's side of at-least-once status update delivery, as a pure value: one FIFO of updates
/// per task, of which only the head is outstanding at the master. The head is sent as soon as it
/// becomes the head, again after `initialRetryInterval` seconds without an acknowledgement (the
/// interval doubling up to `maximumRetryInterval`), and whenever the owner asks for a resend (after
/// every registration, on RESEND_UPDATES). An acknowledgement releases the head only when it names
/// the head's uuid; the next update then becomes ready at once.
///
/// Time is passed in (`now`, seconds), so the schedule is testable without a clock.
public struct StatusUpdateQueue: Sendable {
    /// One queued update with its position in the agent-wide order (the checkpoint row id).
    public struct Entry: Sendable, Equatable {
        public var sequence: Int64
        public var update: Fairway_Internal_StatusUpdate

        public init(sequence: Int64, update: Fairway_Internal_StatusUpdate) {
            self.sequence = sequence
            self.update = update
        }

        public var uuid: Data { update.status.uuid }
    }

    /// What an acknowledgement did.
    public enum AckResult: Sendable, Equatable {
        /// The head was released; `released` is its sequence, `remaining` how many updates the task
        /// still has queued (the next one, if any, is now ready to send).
        case released(sequence: Int64, remaining: Int)
        /// The task has updates queued but the uuid is not the head's (a duplicate or stale ack).
        case mismatch
        /// No updates are queued for that task.
        case unknownTask
    }

    struct Stream: Sendable {
        var entries: [Entry] = []
        var nextRetry: Double?
        var interval: Double
    }

    public let initialRetryInterval: Double
    public let maximumRetryInterval: Double

    private var streams: [TaskKey: Stream] = [:]
    private var ready: Set<TaskKey> = []
    public private(set) var nextSequence: Int64 = 1

    public init(initialRetryInterval: Double = 10, maximumRetryInterval: Double = 60) {
        self.initialRetryInterval = initialRetryInterval
        self.maximumRetryInterval = maximumRetryInterval
    }

    /// Rebuilds the queue from checkpointed entries (any order; sorted by sequence). Every head is
    /// ready to be sent again, since whether it reached the master is unknown.
    public init(restoring entries: [(TaskKey, Entry)], initialRetryInterval: Double = 10, maximumRetryInterval: Double = 60) {
        self.init(initialRetryInterval: initialRetryInterval, maximumRetryInterval: maximumRetryInterval)
        for (key, entry) in entries.sorted(by: { $0.1.sequence < $1.1.sequence }) {
            streams[key, default: Stream(interval: initialRetryInterval)].entries.append(entry)
            nextSequence = max(nextSequence, entry.sequence + 1)
        }
        ready = Set(streams.keys)
    }

    public var isEmpty: Bool { streams.isEmpty }

    /// Number of updates queued over all tasks.
    public var count: Int { streams.values.reduce(0) { $0 + $1.entries.count } }

    /// Tasks that have at least one queued update.
    public var taskKeys: [TaskKey] { Array(streams.keys) }

    public func entries(for key: TaskKey) -> [Entry] { streams[key]?.entries ?? [] }

    public func head(of key: TaskKey) -> Entry? { streams[key]?.entries.first }

    /// When the earliest outstanding head should be sent again, if any.
    public var nextRetryTime: Double? { streams.values.compactMap(\.nextRetry).min() }

    /// Whether some head is waiting to be sent right away.
    public var hasReady: Bool { !ready.isEmpty }

    /// Appends an update to its task's FIFO and returns the entry (with its sequence, for the
    /// checkpoint). If it is the task's only update it is ready to send.
    @discardableResult
    public mutating func enqueue(_ update: Fairway_Internal_StatusUpdate, for key: TaskKey) -> Entry {
        let entry = Entry(sequence: nextSequence, update: update)
        nextSequence += 1
        if streams[key] == nil {
            streams[key] = Stream(entries: [entry], interval: initialRetryInterval)
            ready.insert(key)
        } else {
            streams[key]?.entries.append(entry)
        }
        return entry
    }

    /// Applies an acknowledgement. Only the head's uuid releases anything.
    public mutating func acknowledge(_ key: TaskKey, uuid: Data) -> AckResult {
        guard var stream = streams[key], let head = stream.entries.first else { return .unknownTask }
        guard head.uuid == uuid else { return .mismatch }
        stream.entries.removeFirst()
        if stream.entries.isEmpty {
            streams[key] = nil
            ready.remove(key)
        } else {
            stream.nextRetry = nil
            stream.interval = initialRetryInterval
            streams[key] = stream
            ready.insert(key)
        }
        return .released(sequence: head.sequence, remaining: stream.entries.count)
    }

    /// The heads to send now: those that just became heads or were marked for resend, plus those
    /// whose retry time has come. Each returned head is scheduled for its next retry.
    public mutating func takeDue(now: Double) -> [(TaskKey, Entry)] {
        var due: [(TaskKey, Entry)] = []
        let fresh = ready
        for key in ready {
            guard var stream = streams[key], let head = stream.entries.first else { continue }
            stream.nextRetry = now + stream.interval
            streams[key] = stream
            due.append((key, head))
        }
        ready.removeAll(keepingCapacity: true)
        if let earliest = nextRetryTime, earliest <= now {
            for (key, stream) in streams {
                guard let retry = stream.nextRetry, retry <= now, let head = stream.entries.first,
                      !fresh.contains(key) else { continue }
                var updated = stream
                updated.interval = min(stream.interval * 2, maximumRetryInterval)
                updated.nextRetry = now + updated.interval
                streams[key] = updated
                due.append((key, head))
            }
        }
        return due.sorted { $0.1.sequence < $1.1.sequence }
    }

    /// Marks every head (of one framework, or all) to be sent at the next `takeDue`, with the retry
    /// interval back at its start: used after (re)registration and on RESEND_UPDATES.
    public mutating func markForResend(frameworkID: String? = nil) {
        for key in streams.keys where frameworkID == nil || key.frameworkID == frameworkID {
            streams[key]?.interval = initialRetryInterval
            streams[key]?.nextRetry = nil
            ready.insert(key)
        }
    }

    /// Drops every queued update of a framework (it was shut down); returns the dropped sequences.
    @discardableResult
    public mutating func removeFramework(_ frameworkID: String) -> [Int64] {
        var dropped: [Int64] = []
        for (key, stream) in streams where key.frameworkID == frameworkID {
            dropped += stream.entries.map(\.sequence)
            streams[key] = nil
            ready.remove(key)
        }
        return dropped
    }

    /// Drops everything (the agent was told to forget itself).
    public mutating func removeAll() {
        streams.removeAll()
        ready.removeAll()
    }
}
