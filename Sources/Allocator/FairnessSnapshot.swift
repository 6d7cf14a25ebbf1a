/// Everything the fairness view needs from the allocator, copied out in one go so the master can
/// analyse it (and answer `/fairness`) without holding on to the allocator.
///
/// Quantities are plain numbers by resource name, summed over reservations.
public struct FairnessSnapshot: Sendable, Equatable {
    public struct Framework: Sendable, Equatable {
        public var id: String
        /// Its roles, in the order it subscribed with; the first is the one its weight comes from.
        public var roles: [String]
        /// Held by its tasks (accepted offers and tasks reported by agents).
        public var used: [String: Double]
        /// In offers it has not answered yet.
        public var offered: [String: Double]
        /// Sum of its declared pending task shapes (REQUEST).
        public var demand: [String: Double]
        /// How many pending tasks it declared.
        public var demandTasks: Int
        /// The declared shapes, one entry per pending task.
        public var demandShapes: [[String: Double]]
        /// Subscribed and not deactivated.
        public var active: Bool
        /// Offers suppressed in every one of its roles.
        public var suppressed: Bool
        /// Known only from tasks reported by agents (not subscribed since the master started).
        public var registered: Bool

        public init(
            id: String, roles: [String], used: [String: Double] = [:], offered: [String: Double] = [:],
            demand: [String: Double] = [:], demandTasks: Int = 0, demandShapes: [[String: Double]] = [],
            active: Bool = true, suppressed: Bool = false, registered: Bool = true
        ) {
            self.id = id
            self.roles = roles
            self.used = used
            self.offered = offered
            self.demand = demand
            self.demandTasks = demandTasks
            self.demandShapes = demandShapes
            self.active = active
            self.suppressed = suppressed
            self.registered = registered
        }
    }

    /// Scalar totals of all agents.
    public var total: [String: Double]
    public var frameworks: [Framework]
    /// Weights of roles that have one; others weigh 1.
    public var weights: [String: Double]
    public var quotas: [String: RoleQuota]
    /// Resource names left out of dominant shares.
    public var excluded: Set<String>
    public var agentCount: Int

    public init(
        total: [String: Double], frameworks: [Framework], weights: [String: Double] = [:],
        quotas: [String: RoleQuota] = [:], excluded: Set<String> = [], agentCount: Int = 0
    ) {
        self.total = total
        self.frameworks = frameworks
        self.weights = weights
        self.quotas = quotas
        self.excluded = excluded
        self.agentCount = agentCount
    }
}
