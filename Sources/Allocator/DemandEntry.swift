import FairwayCore

/// One pending task shape a framework declared with the REQUEST call: the resources a task needs
/// and, optionally, the agent it would rather run on (kept, not used yet). Sizes offers by progressive filling.
public struct DemandEntry: Sendable, Equatable {
    public let agentID: String?
    public let resources: Resources
    /// `resources` as scalar quantities, worked out once: every accepted offer walks the demand.
    let quantities: ScalarQuantities

    public init(agentID: String? = nil, resources: Resources) {
        self.agentID = agentID
        self.resources = resources
        quantities = ScalarQuantities(resources)
    }
}
