/// What the allocator knows of one framework: whether it may be offered anything, in which roles,
/// and its allocated scalar quantities per role (kept incrementally for its DRF share).
///
/// A framework can exist unregistered: an agent re-registering after a master failover reports
/// tasks of frameworks that have not re-subscribed yet, and their resources must stay counted.
struct FrameworkState: Sendable {
    var roles: [String] = []
    var suppressedRoles: Set<String> = []
    var active = false
    var registered = false
    var minimumAllocatable: [[String: Double]]?
    var demand: [DemandEntry] = []
    /// Agents where the framework holds something, with the roles it holds it in.
    var agentRoles: [String: Set<String>] = [:]
    var quantitiesByRole: [String: ScalarQuantities] = [:]

    /// Whether the allocator may offer it resources in `role` at all (filters aside).
    func wantsOffers(in role: String) -> Bool {
        registered && active && !suppressedRoles.contains(role) && roles.contains(role)
    }

    var quantities: ScalarQuantities {
        var sum = ScalarQuantities()
        for quantities in quantitiesByRole.values { sum += quantities }
        return sum
    }
}
