import FairwayProto

/// What a framework needs of its line to the master: the events it hears, a way to send calls,
/// start and stop. `Scheduler` is the real one, over the v1 HTTP API; the pods throughput benchmark
/// puts an in-process master behind the same framework code this way. The usual calls (`accept`,
/// `launchGroups`, `decline`, `kill`, …) are built on `send` for every link.
public protocol SchedulerLink: Actor {
    /// The events of the subscription, in order; single consumer.
    nonisolated var events: AsyncStream<SchedulerEvent> { get }
    /// The framework id, once subscribed.
    var frameworkID: Fairway_V1_FrameworkID? { get }
    /// Subscribes in the background.
    nonisolated func start()
    /// Closes the subscription without tearing the framework down; `events` ends.
    func stop() async
    /// Sends one call with the framework id filled in; throws when it cannot be sent or the master
    /// refuses it.
    func send(_ call: Fairway_V1_Scheduler_Call) async throws
}

extension Scheduler: SchedulerLink {}
