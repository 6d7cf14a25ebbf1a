import FairwayCore
import FairwayProto

extension MasterState {
    /// The offer timeout: offers older than `configuration.offerTimeout` are rescinded (a RESCIND
    /// event to the framework, the resources back to the allocator, a pass requested) and counted
    /// against the framework. Mesos added `--offer_timeout` against frameworks that hoard offers.
    mutating func rescindExpiredOffers(now: Double) -> [MasterAction] {
        guard let timeout = configuration.offerTimeout else { return [] }
        // Answered offers linger in the queue until they reach its front; with a long timeout and
        // many quick answers that could pile up, so rebuild it from the live offers now and then.
        if offerAges.count > 2 * offers.count + 1024 {
            offerAges = OfferAgeQueue(offers.values.map { (time: $0.createdTime, offerID: $0.id) })
        }
        var actions: [MasterAction] = []
        while let (time, offerID) = offerAges.first {
            guard let offer = offers[offerID] else {
                offerAges.removeFirst()
                continue
            }
            guard now - offer.createdTime >= timeout, now - time >= timeout else { break }
            offerAges.removeFirst()
            actions += rescindOffer(offerID, now: now, notify: true)
        }
        return actions
    }

    /// Seconds the framework's oldest outstanding offer has waited for an answer, or nil.
    public func oldestOfferAge(ofFramework frameworkID: String, now: Double) -> Double? {
        let times = (frameworks[frameworkID]?.offerIDs ?? []).compactMap { offers[$0]?.createdTime }
        return times.min().map { max(0, now - $0) }
    }
}
