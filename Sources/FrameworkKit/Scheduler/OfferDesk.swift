import FairwayProto
import Logging

/// What every framework shell does with the master's events before its own core sees them: it
/// keeps the offers it holds until they are used, declined or rescinded, drops them all when the
/// subscription is new or broken (the master has taken them back), and tells an agent lost from an
/// executor that merely ended. What is left for the framework comes back as a `Work`.
public struct OfferDesk: Sendable {
    /// Offers received and not yet used or declined, by id.
    public private(set) var offers: [String: Fairway_V1_Offer] = [:]

    /// An event the framework's own core must act on.
    public enum Work: Sendable {
        case subscribed(frameworkID: String)
        case offers([Fairway_V1_Offer])
        case update(Fairway_V1_TaskStatus)
        case agentLost(agentID: String)
    }

    public init() {}

    /// Takes an event in; returns what the framework must do about it, if anything.
    public mutating func take(_ event: SchedulerEvent, logger: Logger) -> Work? {
        switch event {
        case .subscribed(let frameworkID, _, _):
            logger.notice("subscribed as framework \(frameworkID.value)")
            offers.removeAll()
            return .subscribed(frameworkID: frameworkID.value)
        case .offers(let received):
            for offer in received { offers[offer.id.value] = offer }
            return .offers(received)
        case .rescind(let offerID):
            offers[offerID.value] = nil
            return nil
        case .update(let status):
            return .update(status)
        case .failure(let failure):
            guard !failure.hasExecutorID else { return nil }
            logger.warning("agent \(failure.agentID.value) was lost")
            return .agentLost(agentID: failure.agentID.value)
        case .disconnected(let reason):
            logger.warning("disconnected from the master: \(reason); reconnecting")
            offers.removeAll()
            return nil
        case .message, .heartbeat, .error:
            return nil
        }
    }

    /// Takes an offer out to use it; nil when it was rescinded (or already used).
    public mutating func use(_ offerID: String) -> Fairway_V1_Offer? {
        offers.removeValue(forKey: offerID)
    }

    /// Takes offers out to decline them; returns those still held.
    public mutating func release(_ offerIDs: [String]) -> [String] {
        offerIDs.filter { offers.removeValue(forKey: $0) != nil }
    }
}
