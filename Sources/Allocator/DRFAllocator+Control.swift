import FairwayCore

/// Framework and operator controls that change who is offered what: suppress, revive, weights,
/// declared demand.
extension DRFAllocator {
    /// Stops offers to the framework in `roles` (empty = all its roles) until `revive`.
    public mutating func suppress(_ frameworkID: String, roles: [String]) {
        guard var framework = frameworks[frameworkID] else { return }
        framework.suppressedRoles.formUnion(roles.isEmpty ? framework.roles : roles)
        frameworks[frameworkID] = framework
        order = nil
    }

    /// Unsuppresses the framework in `roles` (empty = all its roles) and clears its offer filters
    /// for them, so it is considered again at the next pass.
    public mutating func revive(_ frameworkID: String, roles: [String]) {
        guard var framework = frameworks[frameworkID] else { return }
        if roles.isEmpty {
            framework.suppressedRoles.removeAll()
            filters.remove(frameworkID: frameworkID)
        } else {
            framework.suppressedRoles.subtract(roles)
            filters.remove(frameworkID: frameworkID, roles: Set(roles))
        }
        frameworks[frameworkID] = framework
        order = nil
        allAgentsDirty = true
    }

    /// Sets a role's weight. Weights must be positive and finite; other values are ignored, so
    /// validate them at the API and tell the caller.
    public mutating func setWeight(role: String, weight: Double) {
        guard Self.isValidWeight(weight) else { return }
        weights[role] = weight
        order = nil
    }

    /// Sets or replaces a role's quota; an empty quota removes it. Amounts must be finite and
    /// non-negative with each guarantee at most its limit: validate at the API and tell the caller.
    public mutating func setQuota(role: String, _ quota: RoleQuota) {
        quotas[role] = quota.isEmpty ? nil : quota
        allAgentsDirty = true
    }

    public func quota(of role: String) -> RoleQuota? { quotas[role] }

    /// Every role's quota, by role.
    public var roleQuotas: [String: RoleQuota] { quotas }

    /// Stores the framework's declared pending task shapes (the REQUEST call), replacing earlier
    /// ones. An empty list means "no declared demand": whole-agent offers, as in Mesos.
    public mutating func setDemand(_ frameworkID: String, _ demand: [DemandEntry]) {
        guard frameworks[frameworkID] != nil else { return }
        frameworks[frameworkID]?.demand = demand
        allAgentsDirty = true
    }

    public func demand(of frameworkID: String) -> [DemandEntry] {
        frameworks[frameworkID]?.demand ?? []
    }
}
