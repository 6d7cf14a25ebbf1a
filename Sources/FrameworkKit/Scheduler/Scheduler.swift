import FairwayCore
import FairwayProto
import Logging

/// A framework's connection to a Fairway (or Mesos) master over the v1 scheduler HTTP API.
///
/// `start()` subscribes in the background and keeps the subscription alive: when the stream
/// breaks, the master restarts or heartbeats stop, it resubscribes with exponential backoff as a
/// failover to the same framework id, so tasks survive master restarts. Events arrive in order on
/// `events`; calls (`accept`, `decline`, `kill`, ...) are separate requests that can be made from
/// any task while the subscription is up.
///
/// ```swift
/// let scheduler = Scheduler(configuration: .init(master: "127.0.0.1:5050", frameworkInfo: info))
/// scheduler.start()
/// for await event in scheduler.events {
///     if case .offers(let offers) = event { ... try await scheduler.launch(offer, tasks: tasks) }
/// }
/// ```
///
/// A started scheduler keeps itself alive until `stop()` or `teardown()`, or until the master
/// ends the framework with an ERROR event.
public actor Scheduler {
    /// The events of the subscription, in the order the master sent them. Single consumer; the
    /// sequence ends after `stop()`, `teardown()`, or an ERROR from the master.
    public nonisolated let events: AsyncStream<SchedulerEvent>
    nonisolated let continuation: AsyncStream<SchedulerEvent>.Continuation
    nonisolated let configuration: SchedulerConfiguration
    nonisolated let logger: Logger

    /// The framework id, known after the first SUBSCRIBED (or given in the configuration).
    public internal(set) var frameworkID: Fairway_V1_FrameworkID?

    /// What the next SUBSCRIBE sends; gains the id after the first SUBSCRIBED.
    var frameworkInfo: Fairway_V1_FrameworkInfo
    var policy: ReconnectPolicy
    /// The master calls are sent to: the configured one, or the leader a redirect named.
    var master: String
    /// The stream id of the live subscription, set once SUBSCRIBED arrived; nil otherwise.
    var streamID: String?
    /// The stream id of the subscription being opened, before its SUBSCRIBED.
    var openingStreamID: String?
    var attemptOpened = false
    var lastActivity = ContinuousClock.now
    var heartbeatInterval: Double = 15
    var runTask: Task<Void, Never>?
    /// Set by `stop()` and `teardown()`: no more reconnections.
    var finishing = false
    var finished = false
    /// A TEARDOWN is under way: the master's "framework removed" ERROR is expected, not news.
    var tearingDown = false

    var pendingAcknowledgements: [Fairway_V1_Scheduler_Call] = []
    var acknowledgementHead = 0
    var acknowledgementWorkers = 0

    public init(configuration: SchedulerConfiguration, logger: Logger = Logger(label: "fairway.sdk")) {
        let master = MasterAddress.normalize(configuration.master) ?? configuration.master
        self.configuration = configuration
        self.logger = logger
        self.master = master
        self.frameworkInfo = configuration.frameworkInfo
        self.frameworkID = configuration.frameworkInfo.hasID ? configuration.frameworkInfo.id : nil
        self.policy = ReconnectPolicy(master: master, initialBackoff: configuration.initialBackoff,
                                      maximumBackoff: configuration.maximumBackoff)
        (events, continuation) = AsyncStream.makeStream(of: SchedulerEvent.self, bufferingPolicy: .unbounded)
    }

    /// Subscribes in the background. Calling it again has no effect; a stopped scheduler cannot be
    /// restarted (make a new one with the same framework id to fail over).
    public nonisolated func start() {
        Task { await self.begin() }
    }

    /// Closes the subscription without tearing the framework down: its tasks keep running and the
    /// master waits `failover_timeout` for a new scheduler with the same framework id. The event
    /// sequence ends.
    public func stop() async {
        finishing = true
        guard let task = runTask else {
            finish()
            return
        }
        task.cancel()
        await task.value
    }

    /// True while a subscription is established (SUBSCRIBED received and the stream still open).
    public var isSubscribed: Bool { streamID != nil }

    /// The master currently used (differs from the configured one after a redirect).
    public var currentMaster: String { master }

    private func begin() {
        guard runTask == nil, !finishing else { return }
        runTask = Task { await self.run() }
    }

    func finish() {
        guard !finished else { return }
        finished = true
        streamID = nil
        continuation.finish()
    }
}
