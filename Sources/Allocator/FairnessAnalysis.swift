/// The fairness view, computed from a `FairnessSnapshot`: who holds what, each framework's and
/// role's dominant share, the share a perfectly fair weighted DRF split of everyone's demand would
/// give it (its *ideal share*), and how far the cluster is from that split.
///
/// Pure and deterministic: no I/O and no clock, so the master can run it on a snapshot off the
/// allocation path and tests can check it by hand.
///
/// Definitions (these are what `/fairness` reports):
/// - **Dominant share**: (used + offered) / total, the largest over resources that the cluster has
///   (total > 0) and that are not excluded from fairness (`snapshot.excluded`, e.g. `gpus`).
/// - **Weight**: a role weighs `snapshot.weights[role] ?? 1`; a framework weighs what its first role
///   weighs (a framework with no roles is in role `*`). **Weighted share** = dominant share / weight
///   (0 when the weight is not positive).
/// - **Roles** are paths (`eng/batch`); a role's figures cover its whole subtree. A framework with
///   several roles is counted fully in its first role for role figures and for the ideal split (the
///   snapshot has only its totals, not a split by role).
/// - **Ideal share**: see `FairnessAnalysis+Ideal.swift` — continuous weighted DRF progressive
///   filling over everyone's demand, level by level down the role tree, with quota guarantees given
///   first and quota limits never exceeded. **Gap** = dominant share − ideal share (positive: holds
///   more than its fair amount).
/// - **Unmet demand**: the framework declared pending tasks (REQUEST), or it declared nothing and is
///   active and not suppressed (it takes whatever it is offered).
/// - **Jain's index**: over the weighted dominant shares of frameworks with unmet demand.
public struct FairnessAnalysis: Sendable {
    /// The figures of one framework or of one role's whole subtree.
    public struct Share: Sendable, Equatable {
        /// Framework id, or role path.
        public var id: String
        /// Held by tasks, by resource name.
        public var used: [String: Double]
        /// In outstanding offers, by resource name.
        public var offered: [String: Double]
        /// The resource behind `dominantShare`; nil when it holds nothing that counts.
        public var dominantResource: String?
        /// (used + offered) / total, the largest over non-excluded resources with total > 0.
        public var dominantShare: Double
        /// The role weight (for a framework: its first role's).
        public var weight: Double
        /// `dominantShare / weight`: what DRF compares between roles.
        public var weightedShare: Double
        /// Declared pending demand: the sum of its pending task shapes.
        public var demand: [String: Double]
        /// The dominant share weighted DRF progressive filling over everyone's demand gives it.
        public var idealShare: Double
        /// `dominantShare - idealShare`: positive when it holds more than its fair amount.
        public var gap: Double
        /// It declared pending demand, or declared nothing and is active and not suppressed.
        public var unmetDemand: Bool
    }

    /// One role, with figures covering its whole subtree.
    public struct RoleShare: Sendable, Equatable {
        public var share: Share
        /// The enclosing role (`eng` for `eng/batch`); nil for a top-level role.
        public var parent: String?
        /// Frameworks that list exactly this role among their roles (not those of sub-roles).
        public var frameworks: [String]
        public var quota: RoleQuota?
    }

    /// One entry per framework, sorted by id.
    public var frameworks: [Share]
    /// Every role a framework lists, every role with a weight or a quota, and all their ancestors,
    /// sorted by path.
    public var roles: [RoleShare]
    /// Scalar totals of the cluster.
    public var total: [String: Double]
    /// Held by tasks, summed over frameworks.
    public var allocated: [String: Double]
    /// In outstanding offers, summed over frameworks.
    public var offered: [String: Double]
    /// allocated / total, per resource with total > 0.
    public var utilisation: [String: Double]
    /// Jain's fairness index over the weighted dominant shares of frameworks with unmet demand.
    public var jainIndex: Double
    /// The ideal split itself, by framework id (non-excluded resources with total > 0 only).
    var idealAllocation: [String: [String: Double]]

    public init(_ snapshot: FairnessSnapshot) {
        let space = ResourceSpace(total: snapshot.total, excluded: snapshot.excluded)
        let input = snapshot.frameworks.sorted { $0.id < $1.id }
        let tree = RoleTree(frameworks: input, snapshot: snapshot)
        let ideal = IdealSplit(frameworks: input, tree: tree, snapshot: snapshot, space: space)

        var frameworks: [Share] = []
        frameworks.reserveCapacity(input.count)
        var allocated: [String: Double] = [:]
        var offered: [String: Double] = [:]
        var idealAllocation: [String: [String: Double]] = [:]
        for (index, framework) in input.enumerated() {
            let weight = snapshot.weights[tree.firstRole[index]] ?? 1
            frameworks.append(Share(
                id: framework.id, used: framework.used, offered: framework.offered, weight: weight,
                demand: framework.demand, ideal: ideal.frameworks[index], unmetDemand: Self.hasUnmetDemand(framework),
                space: space))
            allocated.merge(framework.used, uniquingKeysWith: +)
            offered.merge(framework.offered, uniquingKeysWith: +)
            idealAllocation[framework.id] = space.amounts(ideal.frameworks[index])
        }
        self.frameworks = frameworks
        self.roles = Self.roleShares(tree: tree, frameworks: frameworks, ideal: ideal, snapshot: snapshot, space: space)
        self.total = snapshot.total
        self.allocated = allocated
        self.offered = offered
        var utilisation: [String: Double] = [:]
        for (name, amount) in snapshot.total where amount > 0 { utilisation[name] = (allocated[name] ?? 0) / amount }
        self.utilisation = utilisation
        self.jainIndex = Self.jainIndex(frameworks.filter(\.unmetDemand).map(\.weightedShare))
        self.idealAllocation = idealAllocation
    }

    /// A framework wants more: it declared pending tasks, or it declared nothing and takes whatever
    /// it is offered (active and not suppressed).
    static func hasUnmetDemand(_ framework: FairnessSnapshot.Framework) -> Bool {
        declaredDemand(framework) || isElastic(framework)
    }

    static func declaredDemand(_ framework: FairnessSnapshot.Framework) -> Bool {
        framework.demandTasks > 0 || framework.demand.values.contains { $0 > 0 }
    }

    /// Declared nothing but takes what it is offered: Mesos's behaviour, an open-ended appetite.
    static func isElastic(_ framework: FairnessSnapshot.Framework) -> Bool {
        !declaredDemand(framework) && framework.active && !framework.suppressed
    }
}
