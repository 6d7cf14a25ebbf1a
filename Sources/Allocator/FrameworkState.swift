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
    /// The part of `quantitiesByRole` that sits in outstanding offers (not yet used by tasks).
    var offeredByRole: [String: ScalarQuantities] = [:]

    mutating func hold(_ quantities: ScalarQuantities, agentID: String, role: String, offered: Bool) {
        agentRoles[agentID, default: []].insert(role)
        quantitiesByRole[role, default: ScalarQuantities()] += quantities
        if offered { offeredByRole[role, default: ScalarQuantities()] += quantities }
    }

    /// Gives back `quantities` held on `agentID` in `role` (and, when `offered`, takes them out of the
    /// offered ledger); `agentEmptied` when the framework holds nothing more there in that role.
    mutating func release(_ quantities: ScalarQuantities, agentID: String, role: String, offered: Bool, agentEmptied: Bool) {
        quantitiesByRole[role]? -= quantities
        if quantitiesByRole[role]?.isEmpty ?? false { quantitiesByRole[role] = nil }
        if offered { settleOffered(quantities, role: role) }
        if agentEmptied {
            agentRoles[agentID]?.remove(role)
            if agentRoles[agentID]?.isEmpty ?? false { agentRoles[agentID] = nil }
        }
    }

    /// Takes `quantities` out of the offered ledger of `role` (an offer answered or rescinded).
    mutating func settleOffered(_ quantities: ScalarQuantities, role: String) {
        offeredByRole[role]? -= quantities
        if offeredByRole[role]?.isEmpty ?? false { offeredByRole[role] = nil }
    }

    /// Whether the allocator may offer it resources in `role` at all (filters aside).
    func wantsOffers(in role: String) -> Bool {
        registered && active && !suppressedRoles.contains(role) && roles.contains(role)
    }

    var quantities: ScalarQuantities { Self.sum(quantitiesByRole) }

    var offered: ScalarQuantities { Self.sum(offeredByRole) }

    private static func sum(_ byRole: [String: ScalarQuantities]) -> ScalarQuantities {
        var sum = ScalarQuantities()
        for quantities in byRole.values { sum += quantities }
        return sum
    }
}
