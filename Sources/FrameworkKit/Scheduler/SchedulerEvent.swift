import FairwayProto

/// What a framework hears from the master, one case per Mesos event type the SDK delivers, plus
/// `disconnected` for the SDK's own view of the subscription.
public enum SchedulerEvent: Sendable {
    /// The master accepted the subscription. After a reconnection this arrives again with the
    /// same framework id (the SDK always fails over to the framework it registered).
    case subscribed(frameworkID: Fairway_V1_FrameworkID, heartbeatInterval: Double, masterInfo: Fairway_V1_MasterInfo)
    case offers([Fairway_V1_Offer])
    /// An offer is no longer valid; accepting it would fail.
    case rescind(Fairway_V1_OfferID)
    /// A task changed state. With implicit acknowledgements the SDK has already queued the ACKNOWLEDGE.
    case update(Fairway_V1_TaskStatus)
    case message(Fairway_V1_Scheduler_Event.Message)
    /// An agent was lost, or an executor terminated.
    case failure(Fairway_V1_Scheduler_Event.Failure)
    /// The master's ERROR event (for example "Framework failed over"), or a subscription the
    /// master refused. The SDK stops reconnecting after it and the event sequence ends.
    case error(String)
    case heartbeat
    /// The subscription broke or could not be made; the SDK keeps retrying with backoff and reports
    /// `.subscribed` again when it is back. Reported once per outage.
    case disconnected(String)
}

extension SchedulerEvent {
    /// The SDK event for a wire event, or nil for event types the SDK does not surface
    /// (inverse offers, operation status updates).
    public init?(_ event: Fairway_V1_Scheduler_Event) {
        switch event.type {
        case .subscribed:
            let subscribed = event.subscribed
            self = .subscribed(frameworkID: subscribed.frameworkID,
                               heartbeatInterval: subscribed.hasHeartbeatIntervalSeconds ? subscribed.heartbeatIntervalSeconds : 15,
                               masterInfo: subscribed.masterInfo)
        case .offers: self = .offers(event.offers.offers)
        case .rescind: self = .rescind(event.rescind.offerID)
        case .update: self = .update(event.update.status)
        case .message: self = .message(event.message)
        case .failure: self = .failure(event.failure)
        case .error: self = .error(event.error.message)
        case .heartbeat: self = .heartbeat
        case .unknown, .inverseOffers, .rescindInverseOffer, .updateOperationStatus: return nil
        }
    }
}
