import Allocator
import FairwayCore
import XCTest

/// DRF's properties over random clusters and declared demands, checked on where the allocator ends
/// when frameworks launch every task they can from each offer until no offer comes any more.
///
/// Tasks are discrete and agents are bins, so each property holds within one task: a share is
/// compared with a slack of the largest task's dominant share.
final class AllocatorPropertyTests: XCTestCase {
    private static let seeds: [UInt64] = Array(1...40)

    func testWorkConservationNothingIdleThatAPendingTaskCouldUse() {
        for seed in Self.seeds {
            let run = RandomCluster(seed: seed).settle()
            for framework in run.frameworks where !run.pending(framework.id).isEmpty {
                for agentID in run.allocator.agentIDs {
                    let free = run.allocator.available(agentID: agentID).allocatable(to: framework.role)
                    for shape in run.pending(framework.id) {
                        XCTAssertFalse(free.contains(shape),
                                       "seed \(seed): \(framework.id) still has a task \(shape) that fits on \(agentID) (\(free))")
                    }
                }
            }
        }
    }

    func testSharingIncentiveNobodyWithUnmetDemandBelowItsShareWhileAnotherIsAbove() {
        for seed in Self.seeds {
            let run = RandomCluster(seed: seed, weighted: true).settle()
            let totalWeight = run.frameworks.reduce(0) { $0 + $1.weight }
            let slack = run.largestTaskShare
            for poor in run.frameworks where !run.pending(poor.id).isEmpty {
                let entitled = poor.weight / totalWeight
                guard run.share(poor.id) < entitled - slack else { continue }
                for rich in run.frameworks where rich.id != poor.id {
                    XCTAssertLessThanOrEqual(run.share(rich.id), rich.weight / totalWeight + slack,
                                             "seed \(seed): \(poor.id) is below its share while \(rich.id) is above")
                }
            }
        }
    }

    func testEnvyFreenessNobodyWithUnmetDemandCouldRunMoreTasksWithAnothersAllocation() {
        for seed in Self.seeds {
            let run = RandomCluster(seed: seed).settle()
            for envious in run.frameworks where !run.pending(envious.id).isEmpty {
                let own = run.tasks(envious.id)
                for other in run.frameworks where other.id != envious.id {
                    let couldRun = RandomCluster.taskCount(of: envious.shape, in: run.allocator.allocated(frameworkID: other.id))
                    // Two tasks of slack: one for discreteness, one for leftovers on agents too
                    // small for the envious framework's task but not for the other's.
                    XCTAssertLessThanOrEqual(couldRun, own + 2,
                                             "seed \(seed): \(envious.id) (\(own) tasks) envies \(other.id) (\(couldRun))")
                }
            }
        }
    }

    func testWeightedSharesAreProportionalToWeights() {
        for weight in [2.0, 3.0, 0.5] {
            var allocator = DRFAllocator()
            for index in 0..<24 { allocator.addAgent("agent-\(index)", total: res("cpus:8;mem:16384")) }
            allocator.setWeight(role: "heavy", weight: weight)
            allocator.addFramework("light", roles: ["light"])
            allocator.addFramework("heavy", roles: ["heavy"])
            let shape = res("cpus:1;mem:1024")
            allocator.setDemand("light", Array(repeating: DemandEntry(resources: shape), count: 1000))
            allocator.setDemand("heavy", Array(repeating: DemandEntry(resources: shape), count: 1000))
            _ = allocator.allocate(now: 0)
            let light = allocator.dominantShare(of: "light")
            let heavy = allocator.dominantShare(of: "heavy")
            XCTAssertEqual(heavy / light, weight, accuracy: weight * 0.05, "weight \(weight): \(heavy) vs \(light)")
        }
    }

    func testQuotaLimitsAreNeverExceededAndGuaranteesAreMet() {
        for seed in Self.seeds {
            var cluster = RandomCluster(seed: seed)
            let limited = cluster.frameworks[0]
            let guaranteed = cluster.frameworks[1]
            let totalCpus = cluster.totalCpus
            let limit = max(1, (totalCpus / 4).rounded(.down))
            let guarantee = min((totalCpus / 3).rounded(.down), Double(guaranteed.demandCount) * guaranteed.shape.scalar("cpus"))
            cluster.allocator.setQuota(role: limited.role, RoleQuota(limits: ["cpus": limit]))
            cluster.allocator.setQuota(role: guaranteed.role, RoleQuota(guarantees: ["cpus": guarantee]))
            let run = cluster.settle { allocator in
                XCTAssertLessThanOrEqual(allocator.allocated(frameworkID: limited.id).scalar("cpus"), limit + 1e-9,
                                         "seed \(seed): limit exceeded")
            }
            let held = run.allocator.allocated(frameworkID: guaranteed.id).scalar("cpus")
            XCTAssertGreaterThanOrEqual(held, guarantee - guaranteed.shape.scalar("cpus") - 1e-9,
                                        "seed \(seed): guarantee \(guarantee) cpus, holds \(held)")
        }
    }

    func testReservationsAreOfferedOnlyToTheirRole() {
        for seed in Self.seeds {
            var cluster = RandomCluster(seed: seed, reservations: true)
            for _ in 0..<5 {
                for offer in cluster.allocator.allocate(now: 0) {
                    for key in offer.resources.values.keys {
                        guard let reserved = key.role else { continue }
                        XCTAssertTrue(offer.role == reserved || offer.role.hasPrefix(reserved + "/"),
                                      "seed \(seed): \(key) offered to role \(offer.role)")
                    }
                    cluster.allocator.recoverOffer(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                                                   resources: offer.resources, refuseSeconds: nil, now: 0)
                }
            }
        }
    }
}

/// A random cluster: agents of a few sizes, frameworks in their own roles with one task shape each
/// and a declared number of pending tasks; optionally weights and reservations.
private struct RandomCluster {
    struct Framework {
        var id: String
        var role: String
        var weight: Double
        var shape: Resources
        var demandCount: Int
    }

    var allocator = DRFAllocator()
    var frameworks: [Framework] = []
    var totalCpus = 0.0
    private var launched: [String: Int] = [:]
    private var totals = ScalarTotals()

    init(seed: UInt64, weighted: Bool = false, reservations: Bool = false) {
        var random = SeededRandom(seed: seed)
        let agentCount = Int.random(in: 3...12, using: &random)
        let frameworkCount = Int.random(in: 2...6, using: &random)
        for index in 0..<frameworkCount {
            let cpus = Double(Int.random(in: 1...4, using: &random))
            let mem = Double(Int.random(in: 1...8, using: &random)) * 512
            let framework = Framework(
                id: "fw-\(index)", role: "role-\(index)",
                weight: weighted ? Double(Int.random(in: 1...3, using: &random)) : 1,
                shape: Resources(scalars: ["cpus": cpus, "mem": mem]),
                demandCount: Int.random(in: 1...60, using: &random))
            frameworks.append(framework)
        }
        for index in 0..<agentCount {
            let cpus = Double([8, 16, 32].randomElement(using: &random) ?? 8)
            let mem = Double([16384, 32768, 65536].randomElement(using: &random) ?? 16384)
            var total = Resources(scalars: ["cpus": cpus, "mem": mem])
            if reservations, let owner = frameworks.randomElement(using: &random) {
                total = Resources(scalars: ["cpus": cpus - 2, "mem": mem]) + Resources(scalars: ["cpus": 2], role: owner.role)
            }
            totalCpus += cpus
            totals.add(total)
            allocator.addAgent(String(format: "agent-%02d", index), total: total)
        }
        for framework in frameworks {
            if framework.weight != 1 { allocator.setWeight(role: framework.role, weight: framework.weight) }
            allocator.addFramework(framework.id, roles: [framework.role])
            allocator.setDemand(framework.id, Array(repeating: DemandEntry(resources: framework.shape), count: framework.demandCount))
        }
    }

    /// Offers, launches and returns until a pass makes no offer; `check` runs after every pass.
    func settle(check: (DRFAllocator) -> Void = { _ in }) -> RandomCluster {
        var run = self
        for round in 0..<200 {
            let offers = run.allocator.allocate(now: Double(round))
            check(run.allocator)
            if offers.isEmpty { break }
            for offer in offers {
                guard let framework = run.frameworks.first(where: { $0.id == offer.frameworkID }) else { continue }
                let fits = Self.taskCount(of: framework.shape, in: offer.resources)
                let wanted = framework.demandCount - run.launched[framework.id, default: 0]
                let count = min(fits, wanted)
                var used = Resources()
                for _ in 0..<count { used += framework.shape.resolved(against: offer.resources.subtracting(used)) }
                run.launched[framework.id, default: 0] += count
                run.allocator.offerAccepted(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role, resources: used)
                run.allocator.recoverOffer(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                                           resources: offer.resources - used, refuseSeconds: nil, now: Double(round))
            }
        }
        return run
    }

    func tasks(_ frameworkID: String) -> Int { launched[frameworkID, default: 0] }

    /// Task shapes still pending (declared and not launched).
    func pending(_ frameworkID: String) -> [Resources] {
        guard let framework = frameworks.first(where: { $0.id == frameworkID }) else { return [] }
        return Array(repeating: framework.shape, count: max(0, framework.demandCount - tasks(frameworkID)))
    }

    func share(_ frameworkID: String) -> Double { allocator.dominantShare(of: frameworkID) }

    /// The largest dominant share one task of any framework adds.
    var largestTaskShare: Double {
        frameworks.map { totals.dominantShare(of: $0.shape) }.max() ?? 0
    }

    /// How many tasks of `shape` fit in `resources` by scalar quantities.
    static func taskCount(of shape: Resources, in resources: Resources) -> Int {
        let have = resources.scalarTotals
        var count = Int.max
        for (name, amount) in shape.scalarTotals where amount > 0 {
            count = min(count, Int(((have[name] ?? 0) / amount).rounded(.down) + 1e-9))
        }
        return count == Int.max ? 0 : count
    }
}

/// Totals by resource name, for dominant shares computed in the test itself.
private struct ScalarTotals {
    private var totals: [String: Double] = [:]

    mutating func add(_ resources: Resources) {
        for (name, amount) in resources.scalarTotals { totals[name, default: 0] += amount }
    }

    func dominantShare(of resources: Resources) -> Double {
        resources.scalarTotals.map { name, amount in amount / (totals[name] ?? .infinity) }.max() ?? 0
    }
}

private extension Resources {
    /// The shape taken out of `pool` (reserved pools first), so launching from an offer with
    /// reserved resources uses keys that are really in the offer.
    func resolved(against pool: Resources) -> Resources {
        var taken = Resources()
        for (name, amount) in scalarTotals {
            var missing = amount
            for (key, value) in pool.values.sorted(by: { ($0.key.role == nil ? 1 : 0) < ($1.key.role == nil ? 1 : 0) })
            where key.name == name && missing > 0 {
                guard case .scalar(let have) = value else { continue }
                let take = min(have.value, missing)
                taken.add(key, .scalar(Scalar(take)))
                missing -= take
            }
        }
        return taken
    }

    func subtracting(_ other: Resources) -> Resources { self - other }
}

