import FairwayCore
import FairwayProto

/// How a `Scheduler` reaches the master and presents itself.
///
/// The defaults follow the Mesos recommendations: protobuf on the wire, every status update
/// acknowledged as soon as it arrives, and a reconnection backoff capped at 15 s.
public struct SchedulerConfiguration: Sendable {
    /// The master as `host:port` (an `http://` prefix or a trailing path are tolerated).
    public var master: String
    /// Who the framework is. Set `id` to fail over to an existing framework instead of registering
    /// a new one; give `failoverTimeout` a value if the framework should survive its own restarts.
    public var frameworkInfo: Fairway_V1_FrameworkInfo
    /// The encoding of calls and events: protobuf (compact, the default) or Mesos JSON.
    public var format: MessageFormat
    /// When true, every UPDATE carrying a `uuid` is acknowledged by the SDK right after it is
    /// delivered. Turn it off to acknowledge explicitly with `Scheduler.acknowledge(_:)`, for
    /// example after the update has been persisted.
    public var implicitAcknowledgements: Bool
    /// Upper bound, in seconds, of the delay between two reconnection attempts.
    public var maximumBackoff: Double
    /// The first reconnection delay in seconds; it doubles on every failed attempt (with jitter).
    public var initialBackoff: Double = 0.25
    /// Without any record from the master for this many heartbeat intervals, the subscription is
    /// considered dead and replaced.
    public var heartbeatTimeoutIntervals: Double = 5
    /// How many implicit acknowledgements may be in flight at once.
    public var acknowledgementConcurrency: Int = 8
    /// Roles to subscribe with offers suppressed in, so a framework can declare its demand
    /// (REQUEST) before the first offer and then REVIVE.
    public var suppressedRoles: [String] = []
    /// Deadline of each call other than SUBSCRIBE, in seconds.
    public var callTimeout: Double = 30

    public init(master: String, frameworkInfo: Fairway_V1_FrameworkInfo, format: MessageFormat = .protobuf,
                implicitAcknowledgements: Bool = true, maximumBackoff: Double = 15) {
        self.master = master
        self.frameworkInfo = frameworkInfo
        self.format = format
        self.implicitAcknowledgements = implicitAcknowledgements
        self.maximumBackoff = maximumBackoff
    }
}
