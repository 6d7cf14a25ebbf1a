extension FairnessAnalysis {
    /// The role hierarchy seen in a snapshot: roles are paths (`eng/batch` sits under `eng`).
    ///
    /// It holds every role a framework lists, every role with a weight or a quota, and all their
    /// ancestors. A framework is a *member* of its first role only (role `*` when it lists none):
    /// that is where its holdings and demand count, for role figures and for the ideal split.
    struct RoleTree: Sendable {
        /// Every role, sorted by path.
        private(set) var paths: [String] = []
        private(set) var children: [String: [String]] = [:]
        private(set) var topLevel: [String] = []
        /// Indices of the frameworks whose first role is this one.
        private(set) var members: [String: [Int]] = [:]
        /// Indices of the frameworks that list this role at all.
        private(set) var listing: [String: [Int]] = [:]
        /// Each framework's first role.
        private(set) var firstRole: [String] = []

        init(frameworks: [FairnessSnapshot.Framework], snapshot: FairnessSnapshot) {
            var known: Set<String> = []
            for (index, framework) in frameworks.enumerated() {
                let roles = framework.roles.isEmpty ? ["*"] : framework.roles
                firstRole.append(roles[0])
                members[roles[0], default: []].append(index)
                for role in Set(roles) {
                    listing[role, default: []].append(index)
                    add(role, to: &known)
                }
            }
            for role in snapshot.weights.keys { add(role, to: &known) }
            for role in snapshot.quotas.keys { add(role, to: &known) }
            paths = known.sorted()
            topLevel = paths.filter { Self.parent(of: $0) == nil }
            for path in paths {
                if let parent = Self.parent(of: path) { children[parent, default: []].append(path) }
            }
        }

        private mutating func add(_ role: String, to known: inout Set<String>) {
            var next: String? = role
            while let path = next, known.insert(path).inserted { next = Self.parent(of: path) }
        }

        /// `eng` for `eng/batch`; nil for a top-level role.
        static func parent(of path: String) -> String? {
            guard let slash = path.lastIndex(of: "/"), slash > path.startIndex else { return nil }
            return String(path[..<slash])
        }

        /// The role and its ancestors, innermost first.
        static func lineage(of path: String) -> [String] {
            var result = [path]
            while let parent = parent(of: result[result.count - 1]) { result.append(parent) }
            return result
        }
    }

    /// Role figures: each framework counts in its first role and in every ancestor of it.
    static func roleShares(
        tree: RoleTree, frameworks: [Share], ideal: IdealSplit, snapshot: FairnessSnapshot, space: ResourceSpace
    ) -> [RoleShare] {
        struct Totals {
            var used: [String: Double] = [:]
            var offered: [String: Double] = [:]
            var demand: [String: Double] = [:]
            var ideal: [Double]
            var unmet = false
        }
        var totals: [String: Totals] = [:]
        let zero = [Double](repeating: 0, count: space.count)
        for (index, framework) in frameworks.enumerated() {
            for role in RoleTree.lineage(of: tree.firstRole[index]) {
                var entry = totals[role] ?? Totals(ideal: zero)
                entry.used.merge(framework.used, uniquingKeysWith: +)
                entry.offered.merge(framework.offered, uniquingKeysWith: +)
                entry.demand.merge(framework.demand, uniquingKeysWith: +)
                entry.ideal = ResourceSpace.add(entry.ideal, ideal.frameworks[index])
                entry.unmet = entry.unmet || framework.unmetDemand
                totals[role] = entry
            }
        }
        return tree.paths.map { path in
            let entry = totals[path] ?? Totals(ideal: zero)
            let share = Share(
                id: path, used: entry.used, offered: entry.offered, weight: snapshot.weights[path] ?? 1,
                demand: entry.demand, ideal: entry.ideal, unmetDemand: entry.unmet, space: space)
            return RoleShare(
                share: share, parent: RoleTree.parent(of: path),
                frameworks: (tree.listing[path] ?? []).map { frameworks[$0].id },
                quota: snapshot.quotas[path])
        }
    }
}
