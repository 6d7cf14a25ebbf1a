import FairwayCore

/// One offer the allocator decided to make: resources of one agent, for one framework acting in
/// one role. The resources already count as allocated to the framework when this is returned, so
/// the master must give them back with `recover` when the offer is declined, rescinded or only
/// partly used.
public struct Allocation: Sendable, Equatable {
    public var frameworkID: String
    public var agentID: String
    public var role: String
    public var resources: Resources

    public init(frameworkID: String, agentID: String, role: String, resources: Resources) {
        self.frameworkID = frameworkID
        self.agentID = agentID
        self.role = role
        self.resources = resources
    }
}
