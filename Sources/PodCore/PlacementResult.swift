/// One pod placed on one offer.
public struct PodAssignment: Hashable, Sendable {
    public var podUID: String
    public var offerID: String
    public var agentID: String

    public init(podUID: String, offerID: String, agentID: String) {
        self.podUID = podUID
        self.offerID = offerID
        self.agentID = agentID
    }
}

/// The outcome of one placement pass: what to launch where, why the rest waits, and which
/// offers to decline.
public struct PlacementResult: Hashable, Sendable {
    /// In queue order (oldest pod first).
    public var assignments: [PodAssignment]
    /// Pods that fit nowhere in this pass, by uid.
    public var unplaced: [String: UnschedulableReason]
    /// Offers that received no pod, in the order they were given.
    public var unusedOffers: [String]

    public init(assignments: [PodAssignment] = [], unplaced: [String: UnschedulableReason] = [:], unusedOffers: [String] = []) {
        self.assignments = assignments
        self.unplaced = unplaced
        self.unusedOffers = unusedOffers
    }
}
