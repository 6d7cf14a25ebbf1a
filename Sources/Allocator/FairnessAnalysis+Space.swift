extension FairnessAnalysis {
    /// The resources fairness is measured in: those the cluster has (total > 0) and that are not
    /// excluded, in name order. The ideal split works on plain vectors indexed like `names`.
    struct ResourceSpace: Sendable {
        let names: [String]
        let totals: [Double]

        init(total: [String: Double], excluded: Set<String>) {
            names = total.filter { $0.value > 0 && !excluded.contains($0.key) }.keys.sorted()
            totals = names.map { total[$0] ?? 0 }
        }

        var count: Int { names.count }

        /// `amounts` as a vector; names outside the space are dropped, negatives count as zero.
        func vector(_ amounts: [String: Double]) -> [Double] {
            names.map { max(0, amounts[$0] ?? 0) }
        }

        /// Back to amounts by name, leaving out zeros.
        func amounts(_ vector: [Double]) -> [String: Double] {
            var result: [String: Double] = [:]
            for (index, amount) in vector.enumerated() where amount > 0 { result[names[index]] = amount }
            return result
        }

        /// The largest fraction of the cluster total `vector` holds of any resource, and which
        /// resource that is (the first by name on a tie; nil when it holds nothing).
        func dominant(_ vector: [Double]) -> (resource: String?, share: Double) {
            var best: (resource: String?, share: Double) = (nil, 0)
            for index in vector.indices {
                let share = vector[index] / totals[index]
                if share > best.share { best = (names[index], share) }
            }
            return best
        }

        func dominantShare(_ vector: [Double]) -> Double { dominant(vector).share }

        /// Element-wise sum of two vectors of this space.
        static func add(_ lhs: [Double], _ rhs: [Double]) -> [Double] {
            zip(lhs, rhs).map { $0 + $1 }
        }

        /// How close to full a resource must be to count as saturated (absorbs rounding).
        var tolerances: [Double] { totals.map { $0 * 1e-9 } }
    }
}
