extension FairnessAnalysis {
    /// The ideal split: the allocation weighted DRF would reach if it could serve everyone's demand
    /// at once, in continuous amounts. A framework's ideal share is the dominant share of its ideal
    /// allocation (relative to the cluster total); a role's is that of the sum over its subtree.
    ///
    /// **What each framework wants** (vectors over non-excluded resources with total > 0):
    /// - declared pending tasks: exactly used + offered + declared demand (a capped claimant);
    /// - declared nothing, active and not suppressed (*elastic*): open-ended, growing in the shape
    ///   of what it holds (used + offered), or of the cluster total when it holds nothing;
    /// - declared nothing and suppressed or inactive: exactly what it holds.
    ///
    /// **Filling** (`ProgressiveFilling`): a common level rises; every claimant's dominant share
    /// grows as level × weight along its shape until it has its whole demand, or until a resource
    /// it grows in fills up, which freezes everyone growing in that resource. Exclusions
    /// (`snapshot.excluded`) neither count in dominant shares nor fill up.
    ///
    /// **Hierarchy**: the filling runs level by level, top down. At the top, the claimants are the
    /// top-level roles, with their weights, sharing the cluster total; what a role gets becomes the
    /// capacity that its child roles (with their weights) and its own frameworks share in the same
    /// way. Inside a role every framework weighs 1: weights belong to roles, as in Mesos.
    /// A role claims along the shape its subtree would take if it had the cluster to itself (its
    /// members' own split of the cluster total, computed bottom-up), capped there, or open-ended in
    /// that shape when any member is elastic. A role alone at its level therefore gets exactly what
    /// its members can use, so with one level of competition (each framework in a top-level role of
    /// its own, or all frameworks in one role) this is exactly weighted DRF. With several roles at a
    /// level it approximates hierarchical DRF: a role keeps its shape while it fills, and when a
    /// resource fills up the whole role stops, where DRF would let its members that do not need
    /// that resource go on.
    ///
    /// **Quota** of a role, applied where the role is a claimant:
    /// - guarantee: the role is first given min(guarantee, its demand) of each resource (for an
    ///   elastic role, the guarantee of every resource it grows in); the filling counts that as
    ///   already given: the role holds max(guarantee, its DRF amount) of each resource. When the
    ///   guarantees at one level exceed the capacity of a resource, they are scaled down
    ///   proportionally;
    /// - limit: the role's growth stops when it reaches the limit of any resource (like a demand
    ///   cap), so what its subtree gets never exceeds it. Limits on excluded resources are ignored.
    ///
    /// A role whose weight is not positive gets only its guarantee.
    struct IdealSplit: Sendable {
        /// Each framework's ideal allocation, indexed like the frameworks given (a vector in the
        /// resource space).
        private(set) var frameworks: [[Double]]

        init(frameworks input: [FairnessSnapshot.Framework], tree: RoleTree, snapshot: FairnessSnapshot, space: ResourceSpace) {
            frameworks = Array(repeating: Array(repeating: 0, count: space.count), count: input.count)
            guard space.count > 0 else { return }
            var context = Context(
                tree: tree, snapshot: snapshot, space: space, roleWants: [:],
                frameworkWants: input.map { Want(of: $0, space: space) })
            for role in tree.topLevel { _ = context.want(ofRole: role) }
            context.distribute(space.totals, roles: tree.topLevel, frameworks: [], into: &frameworks)
        }
    }

    /// What a framework or role would hold if fully served: a fixed vector, or (elastic) an
    /// open-ended appetite in the shape of `vector`.
    struct Want: Sendable {
        var elastic: Bool
        var vector: [Double]

        init(elastic: Bool, vector: [Double]) {
            self.elastic = elastic
            self.vector = vector
        }

        init(of framework: FairnessSnapshot.Framework, space: ResourceSpace) {
            let held = ResourceSpace.add(space.vector(framework.used), space.vector(framework.offered))
            if FairnessAnalysis.isElastic(framework) {
                self.init(elastic: true, vector: held.contains { $0 > 0 } ? held : space.totals)
            } else if FairnessAnalysis.declaredDemand(framework) {
                self.init(elastic: false, vector: ResourceSpace.add(held, space.vector(framework.demand)))
            } else {
                self.init(elastic: false, vector: held)
            }
        }
    }
}

extension FairnessAnalysis.IdealSplit {
    /// What the level-by-level filling reads.
    private struct Context {
        let tree: FairnessAnalysis.RoleTree
        let snapshot: FairnessSnapshot
        let space: FairnessAnalysis.ResourceSpace
        var roleWants: [String: FairnessAnalysis.Want]
        let frameworkWants: [FairnessAnalysis.Want]

        /// What a role's subtree would take of the cluster if it were alone: its members' split of
        /// the cluster total. Elastic when any member is. Computed bottom-up, once per role.
        mutating func want(ofRole role: String) -> FairnessAnalysis.Want {
            if let known = roleWants[role] { return known }
            let children = tree.children[role] ?? []
            let members = tree.members[role] ?? []
            var childWants: [FairnessAnalysis.Want] = []
            for child in children { childWants.append(want(ofRole: child)) }
            let wants = childWants + members.map { frameworkWants[$0] }
            let amounts = fill(space.totals, wants: wants, roles: children)
            var total = FairnessAnalysis.Want(elastic: wants.contains { $0.elastic }, vector: Array(repeating: 0, count: space.count))
            for amount in amounts { total.vector = FairnessAnalysis.ResourceSpace.add(total.vector, amount) }
            roleWants[role] = total
            return total
        }

        /// Shares `capacity` among `roles` and `frameworks` (siblings at one level), then each role's
        /// amount among its own children.
        func distribute(_ capacity: [Double], roles: [String], frameworks: [Int], into result: inout [[Double]]) {
            let zero = Array(repeating: 0.0, count: space.count)
            let wants = roles.map { roleWants[$0] ?? FairnessAnalysis.Want(elastic: false, vector: zero) }
                + frameworks.map { frameworkWants[$0] }
            let amounts = fill(capacity, wants: wants, roles: roles)
            for (offset, framework) in frameworks.enumerated() { result[framework] = amounts[roles.count + offset] }
            for (offset, role) in roles.enumerated() {
                distribute(amounts[offset], roles: tree.children[role] ?? [], frameworks: tree.members[role] ?? [], into: &result)
            }
        }

        /// One round of filling at one level: `wants` are the roles' (first, with their weights and
        /// quotas) followed by frameworks' (weight 1).
        func fill(_ capacity: [Double], wants: [FairnessAnalysis.Want], roles: [String]) -> [[Double]] {
            var claimants = wants.indices.map { index in
                index < roles.count
                    ? claimant(wants[index], weight: snapshot.weights[roles[index]] ?? 1, quota: snapshot.quotas[roles[index]])
                    : claimant(wants[index], weight: 1, quota: nil)
            }
            fitGuarantees(&claimants, into: capacity)
            return FairnessAnalysis.ProgressiveFilling(claimants: claimants, capacity: capacity, tolerance: space.tolerances).run()
        }

        func claimant(_ want: FairnessAnalysis.Want, weight: Double, quota: RoleQuota?) -> FairnessAnalysis.Claimant {
            let dominant = space.dominantShare(want.vector)
            let unit = want.vector.map { dominant > 0 ? $0 / dominant : 0 }
            var cap = dominant > 0 ? (want.elastic ? Double.infinity : dominant) : 0
            var base = Array(repeating: 0.0, count: space.count)
            if let quota {
                for (index, name) in space.names.enumerated() {
                    let limit = quota.limits[name].map { max(0, $0) }
                    if let limit, unit[index] > 0 { cap = min(cap, limit / unit[index]) }
                    guard let guarantee = quota.guarantees[name], guarantee > 0 else { continue }
                    var given = want.elastic ? (unit[index] > 0 ? guarantee : 0) : min(guarantee, want.vector[index])
                    if let limit { given = min(given, limit) }
                    base[index] = given
                }
            }
            return FairnessAnalysis.Claimant(weight: weight, unit: unit, cap: cap, base: base)
        }

        /// Guarantees at one level that add up to more than the capacity are scaled down evenly.
        func fitGuarantees(_ claimants: inout [FairnessAnalysis.Claimant], into capacity: [Double]) {
            for resource in capacity.indices {
                let guaranteed = claimants.reduce(0) { $0 + $1.base[resource] }
                guard guaranteed > capacity[resource], guaranteed > 0 else { continue }
                let factor = max(0, capacity[resource]) / guaranteed
                for index in claimants.indices { claimants[index].base[resource] *= factor }
            }
        }
    }
}
