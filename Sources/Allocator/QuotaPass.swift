import FairwayCore

/// Quota arithmetic for one allocation pass: how much each role with a quota holds (its whole
/// subtree, tasks and outstanding offers), what guarantees are still unmet, and how much
/// unreserved capacity must stay free for them.
///
/// Limits are never exceeded: every candidate offer is cut to what the role and each of its
/// ancestors may still take. Guarantees are served first (a stage of their own) to roles that
/// have frameworks wanting offers; an unmet guarantee of such a role is also headroom that
/// other roles' offers may not eat into. A guaranteed role with nobody asking lays nothing away,
/// so no resource idles for a role that would not use it.
struct QuotaPass {
    private var quotas: [String: RoleQuota]
    /// Held by each role with a quota, over its subtree.
    private var consumed: [String: ScalarQuantities] = [:]
    /// Roles with a guarantee and some framework in their subtree wanting offers.
    private var guaranteedRoles: Set<String> = []
    /// Unreserved scalar resources free in the cluster (only kept when guarantees are unmet).
    private var unallocated = ScalarQuantities()

    init(_ allocator: DRFAllocator) {
        quotas = allocator.quotas
        guard !quotas.isEmpty else { return }
        for role in quotas.keys { consumed[role] = allocator.subtreeQuantities[role] ?? ScalarQuantities() }
        let wanting = allocator.order.map { Set($0.frameworks.keys) } ?? []
        for (role, quota) in quotas where !quota.guarantees.isEmpty {
            if wanting.contains(where: { $0 == role || $0.hasPrefix(role + "/") }) { guaranteedRoles.insert(role) }
        }
        if hasUnmetGuarantees {
            for agentID in allocator.agentsWithAvailable {
                if let agent = allocator.agents[agentID] { unallocated += ScalarQuantities(agent.available.unreserved) }
            }
        }
    }

    var hasUnmetGuarantees: Bool { guaranteedRoles.contains { !unmet(of: $0).isEmpty } }

    /// What of its guarantee the role still lacks, by resource name (in thousandths).
    private func unmet(of role: String) -> [String: Int64] {
        guard let guarantees = quotas[role]?.guarantees else { return [:] }
        var lacking: [String: Int64] = [:]
        for (name, amount) in guarantees {
            let missing = Scalar(amount).millis - (consumed[role]?[name] ?? 0)
            if missing > 0 { lacking[name] = missing }
        }
        return lacking
    }

    /// The nearest role on the path from `role` to the top with an unmet guarantee being served.
    private func guaranteedAncestor(of role: String) -> String? {
        var path = role
        while !path.isEmpty {
            if guaranteedRoles.contains(path), !unmet(of: path).isEmpty { return path }
            path = RoleOrder.parent(of: path)
        }
        return nil
    }

    /// Guarantee stage: the candidate cut to what the role's guarantee still lacks; scalars the
    /// guarantee does not name are cut in the same proportion, so the role gets a slice of the
    /// agent rather than all of one resource. Empty for roles with nothing guaranteed left.
    func withinGuarantee(_ candidate: Resources, role: String) -> Resources {
        guard let guaranteed = guaranteedAncestor(of: role) else { return Resources() }
        let lacking = unmet(of: guaranteed)
        let quantities = ScalarQuantities(candidate)
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
        guard !guaranteedRoles.isEmpty, guaranteedAncestor(of: role) == nil else { return candidate }
        var needed: [String: Int64] = [:]
        for guaranteed in guaranteedRoles {
            for (name, missing) in unmet(of: guaranteed) { needed[name, default: 0] += missing }
        }
        guard !needed.isEmpty else { return candidate }
        var result = candidate
        for (name, need) in needed {
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
        var path = role
        while !path.isEmpty {
            if let limits = quotas[path]?.limits {
                for (name, limit) in limits {
                    let room = Scalar(limit).millis - (consumed[path]?[name] ?? 0)
                    if ScalarQuantities(result)[name] > room { result = result.capping(name, atMillis: room) }
                }
            }
            path = RoleOrder.parent(of: path)
        }
        return result
    }

    /// Books a grant to `role` against its quota and its ancestors'.
    mutating func charge(_ grant: Resources, role: String) {
        guard !quotas.isEmpty else { return }
        let quantities = ScalarQuantities(grant)
        var path = role
        while !path.isEmpty {
            if quotas[path] != nil { consumed[path, default: ScalarQuantities()] += quantities }
            path = RoleOrder.parent(of: path)
        }
        if !guaranteedRoles.isEmpty { unallocated -= ScalarQuantities(grant.unreserved) }
    }
}
