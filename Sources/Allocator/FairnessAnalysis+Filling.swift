extension FairnessAnalysis {
    /// One client of a round of progressive filling: a role, or a framework inside its role.
    struct Claimant: Sendable {
        /// How fast its dominant share rises with the common level (its DRF weight).
        var weight: Double
        /// The shape it grows in, scaled to a dominant share of 1: holding `t · unit` means a
        /// dominant share of `t`.
        var unit: [Double]
        /// The dominant share at which it stops (its whole demand, or a quota limit); infinite for
        /// an elastic claimant without limits.
        var cap: Double
        /// What it is given before the filling starts (a quota guarantee), per resource.
        var base: [Double]
    }

    /// Continuous weighted progressive filling (water-filling) with caps, computed exactly from its
    /// breakpoints.
    ///
    /// A common level `L` rises from 0. An unfrozen claimant holds `max(base, t · unit)` with
    /// `t = min(L · weight, cap)`, so every claimant's dominant share rises in proportion to its
    /// weight until its cap. When a resource fills up (the claimants' holdings of it reach the
    /// capacity), every claimant still growing in that resource freezes where it is; the others
    /// go on. A claimant whose guarantee still covers a resource is not growing in it, so it is
    /// not frozen by that resource until its share grows past the guarantee.
    ///
    /// Between breakpoints everything is linear in `L`, so the filling jumps from one breakpoint to
    /// the next: a claimant reaching its cap, a claimant's share passing its guarantee of one
    /// resource (both known in advance, sorted once), or a resource filling up (computed from the
    /// current rates). Each breakpoint freezes a claimant, starts one growing in one resource, or
    /// fills a resource, so there are at most `n·(R+1) + R` of them; the whole filling costs
    /// O(n·R·log(n·R) + n·R) for `n` claimants and `R` resources.
    struct ProgressiveFilling {
        let claimants: [Claimant]
        let capacity: [Double]
        /// How close to its capacity a resource must be to count as full (absorbs rounding).
        let tolerance: [Double]

        private struct Breakpoint {
            var level: Double
            var claimant: Int
            /// The resource whose guarantee the claimant's share passes; nil: it reaches its cap.
            var resource: Int?
        }

        /// The amount each claimant ends with, indexed like `claimants`.
        func run() -> [[Double]] {
            var state = State(claimants: claimants, capacity: capacity)
            var breakpoints: [Breakpoint] = []
            for (index, claimant) in claimants.enumerated() where state.active[index] {
                if claimant.cap.isFinite { breakpoints.append(Breakpoint(level: claimant.cap / claimant.weight, claimant: index)) }
                for resource in capacity.indices where claimant.unit[resource] > 0 && claimant.base[resource] > 0 {
                    let level = claimant.base[resource] / (claimant.unit[resource] * claimant.weight)
                    breakpoints.append(Breakpoint(level: level, claimant: index, resource: resource))
                }
            }
            breakpoints.sort { ($0.level, $0.claimant, $0.resource ?? -1) < ($1.level, $1.claimant, $1.resource ?? -1) }

            var next = 0
            state.saturateFullResources(tolerance: tolerance)
            while state.activeCount > 0 {
                while next < breakpoints.count, !state.active[breakpoints[next].claimant] { next += 1 }
                var target = next < breakpoints.count ? breakpoints[next].level : Double.infinity
                var filling: Int?
                for resource in capacity.indices where !state.saturated[resource] && state.growing[resource] > 0 {
                    let rate = state.rate[resource]
                    guard rate > 0 else { continue }
                    let level = state.level + (capacity[resource] - state.used[resource]) / rate
                    if level < target { (target, filling) = (level, resource) }
                }
                guard target.isFinite else { break }
                state.advance(to: target)
                if let filling { state.used[filling] = capacity[filling] }

                let slack = max(target, 1) * 1e-12
                while next < breakpoints.count, breakpoints[next].level <= target + slack {
                    let breakpoint = breakpoints[next]
                    next += 1
                    guard state.active[breakpoint.claimant] else { continue }
                    if let resource = breakpoint.resource {
                        if state.saturated[resource] {
                            state.freeze(breakpoint.claimant)
                        } else {
                            state.startGrowing(breakpoint.claimant, in: resource)
                        }
                    } else {
                        state.freeze(breakpoint.claimant, atShare: claimants[breakpoint.claimant].cap)
                    }
                }
                state.saturateFullResources(tolerance: tolerance)
            }
            return claimants.indices.map { index in
                let claimant = claimants[index]
                let share = state.active[index] ? min(state.level * claimant.weight, claimant.cap) : state.frozenShare[index]
                return capacity.indices.map { max(claimant.base[$0], share * claimant.unit[$0]) }
            }
        }
    }
}

extension FairnessAnalysis.ProgressiveFilling {
    /// Where the filling stands at the current level.
    private struct State {
        let claimants: [FairnessAnalysis.Claimant]
        let capacity: [Double]
        var level = 0.0
        var active: [Bool]
        var activeCount: Int
        /// Dominant share each frozen claimant stopped at.
        var frozenShare: [Double]
        /// Whether a claimant's holding of a resource is growing (its share is past its guarantee).
        var growingIn: [[Bool]]
        /// Σ weight · unit over claimants growing in each resource: d(used)/dL.
        var rate: [Double]
        /// How many claimants grow in each resource (resets `rate` to exactly 0 at none).
        var growing: [Int]
        var used: [Double]
        var saturated: [Bool]

        init(claimants: [FairnessAnalysis.Claimant], capacity: [Double]) {
            self.claimants = claimants
            self.capacity = capacity
            let resources = capacity.count
            active = claimants.map { $0.weight > 0 && $0.cap > 0 && $0.unit.contains { $0 > 0 } }
            activeCount = active.filter { $0 }.count
            frozenShare = Array(repeating: 0, count: claimants.count)
            growingIn = Array(repeating: Array(repeating: false, count: resources), count: claimants.count)
            rate = Array(repeating: 0, count: resources)
            growing = Array(repeating: 0, count: resources)
            used = Array(repeating: 0, count: resources)
            saturated = Array(repeating: false, count: resources)
            for (index, claimant) in claimants.enumerated() {
                for resource in 0..<resources {
                    used[resource] += claimant.base[resource]
                    if active[index], claimant.unit[resource] > 0, claimant.base[resource] <= 0 {
                        startGrowing(index, in: resource)
                    }
                }
            }
        }

        mutating func advance(to target: Double) {
            let step = max(0, target - level)
            for resource in capacity.indices where growing[resource] > 0 { used[resource] += rate[resource] * step }
            level = max(level, target)
        }

        mutating func startGrowing(_ index: Int, in resource: Int) {
            growingIn[index][resource] = true
            rate[resource] += claimants[index].weight * claimants[index].unit[resource]
            growing[resource] += 1
        }

        mutating func freeze(_ index: Int, atShare share: Double? = nil) {
            let claimant = claimants[index]
            active[index] = false
            activeCount -= 1
            frozenShare[index] = share ?? min(level * claimant.weight, claimant.cap)
            for resource in capacity.indices where growingIn[index][resource] {
                growingIn[index][resource] = false
                growing[resource] -= 1
                rate[resource] = growing[resource] == 0 ? 0 : rate[resource] - claimant.weight * claimant.unit[resource]
            }
        }

        /// Marks resources that are full and freezes every claimant still growing in them.
        mutating func saturateFullResources(tolerance: [Double]) {
            for resource in capacity.indices where !saturated[resource] && capacity[resource] - used[resource] <= tolerance[resource] {
                saturated[resource] = true
                for index in claimants.indices where active[index] && growingIn[index][resource] { freeze(index) }
            }
        }
    }
}
