import Allocator
import FairwayCore
import FairwayProto

extension MasterState {
    /// Runs one allocation pass and turns its result into offers, one OFFERS event per framework.
    public mutating func allocate(now: Double) -> [MasterAction] {
        allocationNeeded = false
        counters.allocationRuns += 1
        let allocations = allocator.allocate(now: now)
        var offersByFramework: [String: [Fairway_V1_Offer]] = [:]
        var order: [String] = []
        for allocation in allocations {
            guard let framework = frameworks[allocation.frameworkID], framework.connected,
                  let agent = agents[allocation.agentID] else {
                allocator.recoverOffer(frameworkID: allocation.frameworkID, agentID: allocation.agentID, role: allocation.role,
                                  resources: allocation.resources, refuseSeconds: nil, now: now)
                continue
            }
            let offerID = newOfferID()
            var offer = Fairway_V1_Offer()
            offer.id.value = offerID
            offer.frameworkID.value = allocation.frameworkID
            offer.agentID.value = allocation.agentID
            offer.hostname = agent.info.hostname
            offer.attributes = agent.info.attributes
            let multiRole = framework.info.isMultiRole
            offer.resources = allocation.resources.proto(allocationRole: multiRole ? allocation.role : nil)
            if multiRole { offer.allocationInfo.role = allocation.role }
            offer.url.scheme = "http"
            offer.url.address.hostname = agent.info.hostname
            if let address = agent.address { offer.url.address.ip = address }
            offer.url.address.port = agent.info.port
            offer.url.path = "/slave(1)"
            offers[offerID] = OfferRecord(offer: offer, frameworkID: allocation.frameworkID, agentID: allocation.agentID,
                                          role: allocation.role, resources: allocation.resources, createdTime: now)
            frameworks[allocation.frameworkID]?.offerIDs.insert(offerID)
            agents[allocation.agentID]?.offerIDs.insert(offerID)
            if configuration.offerTimeout != nil { offerAges.append(offerID, time: now) }
            counters.count(allocation.frameworkID) { $0.sent += 1 }
            if offersByFramework[allocation.frameworkID] == nil { order.append(allocation.frameworkID) }
            offersByFramework[allocation.frameworkID, default: []].append(offer)
        }
        return order.map { frameworkID in
            var event = Fairway_V1_Scheduler_Event()
            event.type = .offers
            event.offers.offers = offersByFramework[frameworkID] ?? []
            return .sendToFramework(frameworkID: frameworkID, event)
        }
    }

    /// Takes an offer out of the books (accepted, declined or rescinded) without touching the allocator.
    mutating func removeOffer(_ offerID: String) -> OfferRecord? {
        guard let offer = offers.removeValue(forKey: offerID) else { return nil }
        frameworks[offer.frameworkID]?.offerIDs.remove(offerID)
        agents[offer.agentID]?.offerIDs.remove(offerID)
        return offer
    }

    /// Rescinds every outstanding offer of a framework, giving the resources back to the allocator.
    mutating func rescindOffers(of frameworkID: String, now: Double, notify: Bool) -> [MasterAction] {
        let offerIDs = frameworks[frameworkID]?.offerIDs ?? []
        return offerIDs.sorted().flatMap { rescindOffer($0, now: now, notify: notify) }
    }

    mutating func rescindOffer(_ offerID: String, now: Double, notify: Bool) -> [MasterAction] {
        guard let offer = removeOffer(offerID) else { return [] }
        allocator.recoverOffer(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                               resources: offer.resources, refuseSeconds: nil, now: now)
        allocationNeeded = true
        guard notify else { return [] }
        counters.count(offer.frameworkID) { $0.rescinded += 1 }
        return [.sendToFramework(frameworkID: offer.frameworkID, .rescind(offerID))]
    }

    /// Mesos's `refuse_seconds` rules: unset or negative means the default, capped at 365 days.
    func refuseSeconds(_ filters: Fairway_V1_Filters?) -> Double {
        guard let filters, filters.hasRefuseSeconds, filters.refuseSeconds >= 0 else {
            return configuration.defaultRefuseSeconds
        }
        return min(filters.refuseSeconds, 365 * 24 * 3600)
    }

    public mutating func decline(frameworkID: String, _ decline: Fairway_V1_Scheduler_Call.Decline, now: Double) -> [MasterAction] {
        let refuse = refuseSeconds(decline.hasFilters ? decline.filters : nil)
        for offerID in decline.offerIds.map(\.value) {
            guard let offer = offers[offerID], offer.frameworkID == frameworkID, removeOffer(offerID) != nil else { continue }
            counters.count(frameworkID) { $0.declined += 1 }
            allocator.recoverOffer(frameworkID: frameworkID, agentID: offer.agentID, role: offer.role,
                                   resources: offer.resources, refuseSeconds: refuse, now: now)
        }
        allocationNeeded = true
        return []
    }
}
