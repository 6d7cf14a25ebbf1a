import FairwayCore

/// Quota arithmetic for one allocation pass: how much each role with a quota holds (its whole
/// subtree, tasks and outstanding offers), what guarantees are still unmet, and how much
/// unreserved capacity must stay free for them. Kept incrementally, so asking costs O(path
/// length) whatever the number of roles with quota.
///
/// Limits are never exceeded: every candidate offer is cut to what the role and each of its
/// ancestors may still take, and a role that reaches any of its limits gets nothing more in the
/// pass. Guarantees are served first (a stage of their own) to roles that have frameworks wanting
/// offers; an unmet guarantee of such a role is also headroom that other roles' offers may not eat
/// into. A guaranteed role with nobody asking lays nothing away, so no resource idles for a role
/// that would not use it.
struct QuotaPass {
    private var quotas: [String: RoleQuota]
    /// Held by each role with a quota, over its subtree.
    private var consumed: [String: ScalarQuantities] = [:]
    /// What each guaranteed role (with frameworks wanting offers) still lacks, by name; roles
    /// whose guarantee is met are absent.
    private var unmet: [String: [String: Int64]] = [:]
    /// Sum of `unmet` over roles: the headroom other roles must leave.
    private var totalUnmet: [String: Int64] = [:]
    private var guaranteedRoles: Set<String> = []
    /// Unreserved scalar resources free in the cluster (only kept when guarantees are unmet).
    private var unallocated = ScalarQuantities()

    init(_ allocator: DRFAllocator) {
        quotas = allocator.quotas
        guard !quotas.isEmpty else { return }
        for role in quotas.keys { consumed[role] = allocator.subtreeQuantities[role] ?? ScalarQuantities() }
        let wanting = allocator.order.map { Set($0.frameworks.keys) } ?? []
        var wantingPaths: Set<String> = []
        for role in wanting { allocator.forEachPath(upFrom: role) { wantingPaths.insert($0) } }
        for (role, quota) in quotas where !quota.guarantees.isEmpty && wantingPaths.contains(role) {
            guaranteedRoles.insert(role)
            refreshUnmet(role)
        }
        if !unmet.isEmpty {
            for agentID in allocator.agentsWithAvailable {
                if let agent = allocator.agents[agentID] { unallocated += ScalarQuantities(agent.available.unreserved) }
            }
        }
    }

    var hasUnmetGuarantees: Bool { !unmet.isEmpty }

    /// Whether any role has a quota (if not, no candidate is ever cut).
    var hasQuotas: Bool { !quotas.isEmpty }

    /// Whether `available` holds any resource some unmet guarantee lacks (if not, the agent has
    /// nothing for the guarantee stage).
    func couldServeGuarantees(_ available: Resources) -> Bool {
        let quantities = ScalarQuantities(available)
        return totalUnmet.contains { name, need in need > 0 && quantities[name] > 0 }
    }

    /// Roles whose guarantee is unmet, to build the guarantee stage's order from.
    var rolesWithUnmetGuarantees: Set<String> { Set(unmet.keys) }

    /// Roles (with quota) already at one of their limits.
    var rolesAtLimit: [String] { quotas.keys.filter(isAtLimit) }

    private func isAtLimit(_ role: String) -> Bool {
        guard let limits = quotas[role]?.limits else { return false }
        return limits.contains { name, limit in (consumed[role]?[name] ?? 0) >= Scalar(limit).millis }
    }

    private mutating func refreshUnmet(_ role: String) {
        let old = unmet[role] ?? [:]
        var lacking: [String: Int64] = [:]
        for (name, amount) in quotas[role]?.guarantees ?? [:] {
            let missing = Scalar(amount).millis - (consumed[role]?[name] ?? 0)
            if missing > 0 { lacking[name] = missing }
        }
        for (name, amount) in old { totalUnmet[name, default: 0] -= amount }
        for (name, amount) in lacking { totalUnmet[name, default: 0] += amount }
        unmet[role] = lacking.isEmpty ? nil : lacking
    }

    /// The nearest role on the path from `role` to the top with an unmet guarantee.
    private func guaranteedAncestor(of role: String) -> String? {
        var path = role
        while !path.isEmpty {
            if unmet[path] != nil { return path }
            path = RoleOrder.parent(of: path)
        }
        return nil
    }

    /// Guarantee stage: the candidate cut to what the role's guarantee still lacks; scalars the
    /// guarantee does not name are cut in the same proportion, so the role gets a slice of the
    /// agent rather than all of one resource. Empty for roles with nothing guaranteed left.
    func withinGuarantee(_ candidate: Resources, role: String) -> Resources {
        guard let guaranteed = guaranteedAncestor(of: role), let lacking = unmet[guaranteed] else { return Resources() }
        let quantities = ScalarQuantities(candidate)
        // Nothing the guarantee lacks is here: this is not the stage for it.
        guard lacking.keys.contains(where: { quantities[$0] > 0 }) else { return Resources() }
        var fraction = 1.0
        for (name, missing) in lacking where quantities[name] > 0 {
            fraction = min(fraction, Double(missing) / Double(quantities[name]))
        }
        var result = candidate
        for name in candidate.names {
            guard quantities[name] > 0 else { continue }
            let cap = lacking[name] ?? Int64((Double(quantities[name]) * fraction).rounded(.down))
            result = result.capping(name, atMillis: min(cap, quantities[name]))
        }
        return result
    }

    /// Fair-share stage: roles not being served a guarantee may take unreserved resources only
    /// down to what unmet guarantees still need.
    func withinHeadroom(_ candidate: Resources, role: String) -> Resources {
        guard !unmet.isEmpty, guaranteedAncestor(of: role) == nil else { return candidate }
        var result = candidate
        for (name, need) in totalUnmet where need > 0 {
            let reserved = ScalarQuantities(candidate.filter { key, _ in key.name == name && key.role != nil })[name]
            let spare = unallocated[name] - need
            result = result.capping(name, atMillis: reserved + max(spare, 0))
        }
        return result
    }

    /// The candidate cut so the role and every ancestor stay within their limits.
    func withinLimits(_ candidate: Resources, role: String) -> Resources {
        guard !quotas.isEmpty else { return candidate }
        var result = candidate
        var held: ScalarQuantities?
        var path = role
        while !path.isEmpty {
            if let limits = quotas[path]?.limits {
                for (name, limit) in limits {
                    let room = Scalar(limit).millis - (consumed[path]?[name] ?? 0)
                    let quantities = held ?? ScalarQuantities(result)
                    held = quantities
                    if quantities[name] > room {
                        result = result.capping(name, atMillis: room)
                        held = nil
                    }
                }
            }
            path = RoleOrder.parent(of: path)
        }
        return result
    }

    /// What a grant changed: roles whose guarantee is now met, roles now at a limit.
    struct Effects {
        var guaranteesMet: [String] = []
        var limitsReached: [String] = []
    }

    /// Books a grant to `role` against its quota and its ancestors'.
    mutating func charge(_ grant: Resources, role: String) -> Effects {
        var effects = Effects()
        guard !quotas.isEmpty else { return effects }
        let quantities = ScalarQuantities(grant)
        var path = role
        while !path.isEmpty {
            if quotas[path] != nil {
                consumed[path, default: ScalarQuantities()] += quantities
                if unmet[path] != nil {
                    refreshUnmet(path)
                    if unmet[path] == nil { effects.guaranteesMet.append(path) }
                }
                if isAtLimit(path) { effects.limitsReached.append(path) }
            }
            path = RoleOrder.parent(of: path)
        }
        if !unmet.isEmpty || !totalUnmet.isEmpty { unallocated -= ScalarQuantities(grant.unreserved) }
        return effects
    }
}
