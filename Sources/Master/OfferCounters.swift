/// How many offers the master sent and how they ended, for the fairness view and `/metrics`.
///
/// Kept in `MasterState` (pure counting, no clock); reset when the master restarts, as Prometheus
/// counters may be.
public struct OfferCounters: Sendable, Equatable {
    public var sent: UInt64 = 0
    public var declined: UInt64 = 0
    public var accepted: UInt64 = 0
    /// Offers taken back: the offer timeout, the agent going away, or the framework failing over.
    public var rescinded: UInt64 = 0

    public init() {}
}

/// Counters of the whole master: offers in total and per framework, and allocation passes.
public struct MasterCounters: Sendable, Equatable {
    public var offers = OfferCounters()
    /// Per live framework; a framework's entry goes when the framework is removed.
    public var offersByFramework: [String: OfferCounters] = [:]
    /// Allocation passes run (including ones that made no offer).
    public var allocationRuns: UInt64 = 0

    public init() {}

    mutating func count(_ frameworkID: String, _ change: (inout OfferCounters) -> Void) {
        change(&offers)
        change(&offersByFramework[frameworkID, default: OfferCounters()])
    }
}
