@testable import Allocator
import FairwayCore
import XCTest

/// The fairness view's arithmetic: dominant shares, the ideal weighted DRF split of everyone's
/// demand (continuous progressive filling, level by level down the role tree, with quotas), and
/// Jain's index.
final class FairnessAnalysisTests: XCTestCase {
    // MARK: The DRF paper and weights

    /// Ghodsi et al., NSDI 2011: <9 CPU, 18 GB>, A runs <1 CPU, 4 GB> tasks, B <3 CPU, 1 GB>.
    /// DRF equalises dominant shares at 2/3: A gets <3, 12>, B <6, 2>.
    func testDRFPaperExampleIdealSharesAreTwoThirdsEach() {
        for roles in [(["*"], ["*"]), (["a"], ["b"]), ([], [])] {
            let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 9, "mem": 18], frameworks: [
                framework("A", roles: roles.0, tasks: 10, shape: ["cpus": 1, "mem": 4]),
                framework("B", roles: roles.1, tasks: 10, shape: ["cpus": 3, "mem": 1]),
            ]))
            let a = analysis.framework("A"), b = analysis.framework("B")
            XCTAssertEqual(a.idealShare, 2.0 / 3.0, accuracy: 1e-9, "roles \(roles)")
            XCTAssertEqual(b.idealShare, 2.0 / 3.0, accuracy: 1e-9, "roles \(roles)")
            assertAmounts(analysis.idealAllocation["A"], ["cpus": 3, "mem": 12])
            assertAmounts(analysis.idealAllocation["B"], ["cpus": 6, "mem": 2])
            XCTAssertEqual(a.dominantShare, 0)
            XCTAssertNil(a.dominantResource, "holds nothing")
            XCTAssertEqual(a.gap, -2.0 / 3.0, accuracy: 1e-9)
            XCTAssertTrue(a.unmetDemand)
            XCTAssertEqual(a.demand, ["cpus": 10, "mem": 40])
        }
    }

    /// Once they hold the paper's end state, the gap is zero and the dominant resources are right.
    func testPaperEndStateHasNoGap() {
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 9, "mem": 18], frameworks: [
            framework("A", used: ["cpus": 3, "mem": 12], tasks: 7, shape: ["cpus": 1, "mem": 4]),
            framework("B", used: ["cpus": 4, "mem": 1], offered: ["cpus": 2, "mem": 1], tasks: 8, shape: ["cpus": 3, "mem": 1]),
        ]))
        let a = analysis.framework("A"), b = analysis.framework("B")
        XCTAssertEqual(a.dominantResource, "mem")
        XCTAssertEqual(b.dominantResource, "cpus")
        XCTAssertEqual(a.dominantShare, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(b.dominantShare, 2.0 / 3.0, accuracy: 1e-9, "offers count toward the dominant share")
        XCTAssertEqual(a.gap, 0, accuracy: 1e-9)
        XCTAssertEqual(b.gap, 0, accuracy: 1e-9)
        XCTAssertEqual(analysis.jainIndex, 1, accuracy: 1e-12)
        XCTAssertEqual(analysis.allocated, ["cpus": 7, "mem": 13])
        XCTAssertEqual(analysis.offered, ["cpus": 2, "mem": 1])
        XCTAssertEqual(analysis.utilisation["cpus"] ?? -1, 7.0 / 9.0, accuracy: 1e-12)
        XCTAssertEqual(analysis.utilisation["mem"] ?? -1, 13.0 / 18.0, accuracy: 1e-12)
    }

    func testWeightsTwoToOneGiveIdealSharesTwoToOne() {
        let shape = ["cpus": 1.0, "mem": 1.0]
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 12, "mem": 12],
            frameworks: [
                framework("heavy", roles: ["b-heavy"], used: ["cpus": 6, "mem": 1], tasks: 20, shape: shape),
                framework("light", roles: ["a-light"], used: ["cpus": 3, "mem": 1], tasks: 20, shape: shape),
            ],
            weights: ["b-heavy": 2]))
        let heavy = analysis.framework("heavy"), light = analysis.framework("light")
        XCTAssertEqual(heavy.idealShare, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(light.idealShare, 1.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(heavy.weight, 2)
        XCTAssertEqual(light.weight, 1)
        XCTAssertEqual(heavy.weightedShare, 0.25, accuracy: 1e-12, "6/12 over weight 2")
        XCTAssertEqual(light.weightedShare, 0.25, accuracy: 1e-12)
        XCTAssertEqual(analysis.role("b-heavy").share.weight, 2)
        XCTAssertEqual(analysis.role("b-heavy").share.idealShare, 2.0 / 3.0, accuracy: 1e-9)
    }

    /// Inside one role weights do not apply: frameworks there weigh 1 each.
    func testFrameworksInsideOneRoleShareEquallyWhateverTheRoleWeighs() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10],
            frameworks: [framework("x", roles: ["r"]), framework("y", roles: ["r"])],
            weights: ["r": 5]))
        XCTAssertEqual(analysis.framework("x").idealShare, 0.5, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("y").idealShare, 0.5, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("x").weight, 5, "reported weight is the first role's")
    }

    // MARK: Demand caps, exclusions, elastic and idle frameworks

    func testCappedFrameworkGetsExactlyItsDemandAndOthersSplitTheRest() {
        let big = ["cpus": 1.0, "mem": 1.0]
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 12, "mem": 12], frameworks: [
            framework("small", tasks: 2, shape: big),
            framework("big1", tasks: 12, shape: big),
            framework("big2", tasks: 12, shape: big),
        ]))
        assertAmounts(analysis.idealAllocation["small"], ["cpus": 2, "mem": 2])
        assertAmounts(analysis.idealAllocation["big1"], ["cpus": 5, "mem": 5])
        assertAmounts(analysis.idealAllocation["big2"], ["cpus": 5, "mem": 5])
        XCTAssertEqual(analysis.framework("small").idealShare, 2.0 / 12.0, accuracy: 1e-9)
    }

    /// A framework's demand counts what it already holds: holding 3 of a 4-cpu demand, it is owed 4.
    func testDemandAddsToWhatIsHeld() {
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 10], frameworks: [
            framework("half", used: ["cpus": 3], tasks: 1, shape: ["cpus": 1]),
            framework("greedy", tasks: 100, shape: ["cpus": 1]),
        ]))
        XCTAssertEqual(analysis.framework("half").idealShare, 0.4, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("greedy").idealShare, 0.6, accuracy: 1e-9)
    }

    func testExcludedResourceNeitherDominatesNorFillsUp() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10, "gpus": 4],
            frameworks: [
                framework("gpu", used: ["cpus": 1, "gpus": 4], tasks: 10, shape: ["cpus": 1, "gpus": 4]),
                framework("cpu", tasks: 10, shape: ["cpus": 1]),
            ],
            excluded: ["gpus"]))
        let gpu = analysis.framework("gpu")
        XCTAssertEqual(gpu.dominantResource, "cpus", "gpus are excluded, so 4 of 4 gpus do not dominate")
        XCTAssertEqual(gpu.dominantShare, 0.1, accuracy: 1e-12)
        XCTAssertEqual(gpu.idealShare, 0.5, accuracy: 1e-9, "gpu demand beyond the 4 gpus does not stop it")
        XCTAssertEqual(analysis.framework("cpu").idealShare, 0.5, accuracy: 1e-9)
        XCTAssertEqual(analysis.utilisation["gpus"], 1, "utilisation still covers excluded resources")

        let unexcluded = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10, "gpus": 4],
            frameworks: [
                framework("gpu", used: ["cpus": 1, "gpus": 4], tasks: 10, shape: ["cpus": 1, "gpus": 4]),
                framework("cpu", tasks: 10, shape: ["cpus": 1]),
            ]))
        // Counted, gpus dominate the gpu framework: at dominant share s it holds 4s gpus and s cpus,
        // so the cpus fill when s + 10s = 10.
        XCTAssertEqual(unexcluded.framework("gpu").dominantResource, "gpus")
        XCTAssertEqual(unexcluded.framework("gpu").idealShare, 10.0 / 11.0, accuracy: 1e-9)
        assertAmounts(unexcluded.idealAllocation["gpu"], ["cpus": 10.0 / 11.0, "gpus": 40.0 / 11.0])
        XCTAssertEqual(unexcluded.framework("cpu").idealShare, 10.0 / 11.0, accuracy: 1e-9)
    }

    func testSuppressedFrameworkWithNoDemandKeepsWhatItHolds() {
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 10, "mem": 10], frameworks: [
            framework("quiet", used: ["cpus": 4, "mem": 2], suppressed: true),
            framework("gone", used: ["cpus": 1], active: false),
            framework("eager"),
        ]))
        let quiet = analysis.framework("quiet")
        XCTAssertEqual(quiet.idealShare, 0.4, accuracy: 1e-9)
        XCTAssertEqual(quiet.gap, 0, accuracy: 1e-9)
        XCTAssertFalse(quiet.unmetDemand)
        XCTAssertEqual(analysis.framework("gone").idealShare, 0.1, accuracy: 1e-9)
        XCTAssertFalse(analysis.framework("gone").unmetDemand)
        let eager = analysis.framework("eager")
        XCTAssertTrue(eager.unmetDemand, "declared nothing, active: takes what it is offered")
        XCTAssertEqual(eager.idealShare, 0.5, accuracy: 1e-9, "the rest of the cpus")
        assertAmounts(analysis.idealAllocation["eager"], ["cpus": 5, "mem": 5])
    }

    /// An elastic framework grows in the shape of what it holds.
    func testElasticFrameworkGrowsInTheShapeItHolds() {
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 10, "mem": 100], frameworks: [
            framework("cpu-bound", used: ["cpus": 1, "mem": 1]),
            framework("mem-bound", used: ["cpus": 1, "mem": 20]),
        ]))
        // cpu-bound grows along <1, 1> (dominant cpus: 10 cpus per unit of share), mem-bound along
        // <1, 20> (dominant mem: 5 cpus per unit of share): cpus fill when 10L + 5L = 10, L = 2/3.
        XCTAssertEqual(analysis.framework("cpu-bound").idealShare, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("mem-bound").idealShare, 2.0 / 3.0, accuracy: 1e-9)
        assertAmounts(analysis.idealAllocation["mem-bound"], ["cpus": 10.0 / 3.0, "mem": 200.0 / 3.0])
    }

    // MARK: Hierarchy

    func testHierarchyGivesOpsHalfAndEachEngChildAQuarter() {
        let analysis = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 16, "mem": 64], frameworks: [
            framework("batch", roles: ["eng/batch"]),
            framework("web", roles: ["eng/web"]),
            framework("ops", roles: ["ops"]),
        ]))
        XCTAssertEqual(analysis.framework("ops").idealShare, 0.5, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("batch").idealShare, 0.25, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("web").idealShare, 0.25, accuracy: 1e-9)
        XCTAssertEqual(analysis.roles.map(\.share.id), ["eng", "eng/batch", "eng/web", "ops"])
        XCTAssertEqual(analysis.role("eng").share.idealShare, 0.5, accuracy: 1e-9)
        XCTAssertNil(analysis.role("eng").parent)
        XCTAssertEqual(analysis.role("eng/web").parent, "eng")
        XCTAssertEqual(analysis.role("eng").frameworks, [], "no framework lists eng itself")
        XCTAssertEqual(analysis.role("eng/web").frameworks, ["web"])
        XCTAssertTrue(analysis.role("eng").share.unmetDemand)
    }

    /// Role weights apply among sibling roles at every level.
    func testNestedRoleWeightsSplitTheParentsAmount() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 12],
            frameworks: [
                framework("batch", roles: ["eng/batch"]), framework("web", roles: ["eng/web"]),
                framework("ops", roles: ["ops"]),
            ],
            weights: ["eng": 2, "eng/web": 3]))
        XCTAssertEqual(analysis.framework("ops").idealShare, 1.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("web").idealShare, 0.5, accuracy: 1e-9, "3/4 of eng's 2/3")
        XCTAssertEqual(analysis.framework("batch").idealShare, 1.0 / 6.0, accuracy: 1e-9)
    }

    /// A role's own frameworks weigh 1 next to its child roles, whatever the role itself weighs.
    func testOwnFrameworksWeighOneBesideChildRoles() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 8],
            frameworks: [framework("direct", roles: ["eng"]), framework("nested", roles: ["eng/sub"])],
            weights: ["eng": 5, "eng/sub": 3]))
        XCTAssertEqual(analysis.framework("direct").idealShare, 0.25, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("nested").idealShare, 0.75, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("direct").weight, 5)
        XCTAssertEqual(analysis.role("eng").share.idealShare, 1, accuracy: 1e-9, "alone at the top, eng gets everything")
    }

    /// A role's figures sum its subtree; a multi-role framework counts fully in its first role.
    func testRoleFiguresCoverTheSubtreeAndMultiRoleFrameworksCountInTheirFirstRole() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10, "mem": 100],
            frameworks: [
                framework("batch", roles: ["eng/batch"], used: ["cpus": 2, "mem": 10], offered: ["cpus": 1], tasks: 1, shape: ["cpus": 1]),
                framework("multi", roles: ["eng", "ops"], used: ["cpus": 1, "mem": 25], suppressed: true),
                framework("plain", used: ["mem": 5], suppressed: true),
            ],
            quotas: ["research": RoleQuota(limits: ["cpus": 1])]))
        XCTAssertEqual(analysis.roles.map(\.share.id), ["*", "eng", "eng/batch", "ops", "research"])
        let eng = analysis.role("eng")
        XCTAssertEqual(eng.share.used, ["cpus": 3, "mem": 35])
        XCTAssertEqual(eng.share.offered, ["cpus": 1])
        XCTAssertEqual(eng.share.demand, ["cpus": 1])
        XCTAssertEqual(eng.share.dominantResource, "cpus")
        XCTAssertEqual(eng.share.dominantShare, 0.4, accuracy: 1e-12)
        XCTAssertEqual(eng.frameworks, ["multi"])
        XCTAssertTrue(eng.share.unmetDemand, "batch declared a task")
        let ops = analysis.role("ops")
        XCTAssertEqual(ops.frameworks, ["multi"], "listed, but its holdings count in eng")
        XCTAssertEqual(ops.share.used, [:])
        XCTAssertEqual(ops.share.dominantShare, 0)
        XCTAssertFalse(ops.share.unmetDemand)
        XCTAssertEqual(analysis.role("*").frameworks, ["plain"])
        XCTAssertEqual(analysis.role("research").quota, RoleQuota(limits: ["cpus": 1]))
        XCTAssertEqual(analysis.framework("multi").weight, 1)
        XCTAssertEqual(analysis.frameworks.map(\.id), ["batch", "multi", "plain"])
    }

    // MARK: Quota

    func testQuotaGuaranteeIsHonouredBeforeFairSharing() {
        let shape = ["cpus": 1.0, "mem": 2.0]
        for guarantee in [["cpus": 6.0, "mem": 12.0], ["cpus": 6.0]] {
            let analysis = FairnessAnalysis(FairnessSnapshot(
                total: ["cpus": 12, "mem": 24],
                frameworks: [
                    framework("a", roles: ["a"], tasks: 20, shape: shape),
                    framework("b", roles: ["b"], tasks: 20, shape: shape),
                    framework("q", roles: ["q"], tasks: 20, shape: shape),
                ],
                quotas: ["q": RoleQuota(guarantees: guarantee)]))
            XCTAssertEqual(analysis.framework("q").idealShare, 0.5, accuracy: 1e-9, "guarantee \(guarantee)")
            assertAmounts(analysis.idealAllocation["q"], ["cpus": 6, "mem": 12])
            XCTAssertEqual(analysis.framework("a").idealShare, 0.25, accuracy: 1e-9, "without quota each would get 1/3")
            XCTAssertEqual(analysis.framework("b").idealShare, 0.25, accuracy: 1e-9)
        }
    }

    /// A guarantee larger than the role's demand gives only the demand; the rest goes to others.
    func testGuaranteeBeyondDemandIsNotHeldBack() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10],
            frameworks: [framework("q", roles: ["q"], tasks: 2, shape: ["cpus": 1]), framework("e", roles: ["e"])],
            quotas: ["q": RoleQuota(guarantees: ["cpus": 8])]))
        XCTAssertEqual(analysis.framework("q").idealShare, 0.2, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("e").idealShare, 0.8, accuracy: 1e-9)
    }

    func testQuotaLimitIsNeverExceeded() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10, "mem": 10],
            frameworks: [
                framework("l1", roles: ["limited/one"]), framework("l2", roles: ["limited/two"], tasks: 50, shape: ["cpus": 1]),
                framework("free", roles: ["free"]),
            ],
            quotas: ["limited": RoleQuota(limits: ["cpus": 2])]))
        let one = analysis.idealAllocation["l1"] ?? [:], two = analysis.idealAllocation["l2"] ?? [:]
        XCTAssertLessThanOrEqual((one["cpus"] ?? 0) + (two["cpus"] ?? 0), 2 + 1e-9)
        XCTAssertEqual(analysis.role("limited").share.idealShare, 0.2, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("free").idealShare, 0.8, accuracy: 1e-9, "free takes what limited may not")
        XCTAssertEqual(analysis.framework("l1").idealShare, 0.1, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("l2").idealShare, 0.1, accuracy: 1e-9)
    }

    /// Guarantees that add up to more than the cluster are scaled down, never over-committed.
    func testOvercommittedGuaranteesAreScaledToTheCluster() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 10],
            frameworks: [framework("x", roles: ["x"]), framework("y", roles: ["y"])],
            quotas: ["x": RoleQuota(guarantees: ["cpus": 12]), "y": RoleQuota(guarantees: ["cpus": 3])]))
        XCTAssertEqual(analysis.framework("x").idealShare, 0.8, accuracy: 1e-9)
        XCTAssertEqual(analysis.framework("y").idealShare, 0.2, accuracy: 1e-9)
    }

    // MARK: Jain's index

    func testJainIndexValues() {
        XCTAssertEqual(FairnessAnalysis.jainIndex([0.3, 0.3, 0.3, 0.3]), 1, accuracy: 1e-12)
        XCTAssertEqual(FairnessAnalysis.jainIndex([1, 0, 0, 0]), 0.25, accuracy: 1e-12)
        XCTAssertEqual(FairnessAnalysis.jainIndex([0.5, 0]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(FairnessAnalysis.jainIndex([1, 2, 3]), 36.0 / 42.0, accuracy: 1e-12)
        XCTAssertEqual(FairnessAnalysis.jainIndex([]), 1)
        XCTAssertEqual(FairnessAnalysis.jainIndex([0.7]), 1)
        XCTAssertEqual(FairnessAnalysis.jainIndex([0, 0, 0]), 1)
    }

    /// The cluster index covers weighted shares of frameworks with unmet demand only.
    func testClusterJainIndexUsesWeightedSharesOfFrameworksWithUnmetDemand() {
        let analysis = FairnessAnalysis(FairnessSnapshot(
            total: ["cpus": 12],
            frameworks: [
                framework("heavy", roles: ["h"], used: ["cpus": 6]),
                framework("light", roles: ["l"], used: ["cpus": 3]),
                framework("hog", roles: ["l"], used: ["cpus": 3], suppressed: true),
                framework("idle", roles: ["l"], active: false),
            ],
            weights: ["h": 2]))
        XCTAssertEqual(analysis.jainIndex, 1, accuracy: 1e-12, "6/2 and 3/1 are equal weighted shares")

        let uneven = FairnessAnalysis(FairnessSnapshot(total: ["cpus": 12], frameworks: [
            framework("rich", used: ["cpus": 12]), framework("poor1"), framework("poor2", tasks: 1, shape: ["cpus": 1]),
        ]))
        XCTAssertEqual(uneven.jainIndex, 1.0 / 3.0, accuracy: 1e-12)
    }

    // MARK: Properties over random clusters

    /// On one level (every framework in a top-level role of its own) the ideal split is weighted
    /// DRF: it fits the cluster, gives no one more than its demand, and everyone short of its demand
    /// is held back by a full resource in which nobody holds a larger weighted share than it.
    func testRandomFlatClustersSatisfyTheWeightedDRFCertificate() {
        var random = SeededRandom(seed: 42)
        for round in 0..<200 {
            let snapshot = randomSnapshot(&random, frameworks: 2 + random.int(below: 12), roles: nil)
            let analysis = FairnessAnalysis(snapshot)
            let space = FairnessAnalysis.ResourceSpace(total: snapshot.total, excluded: snapshot.excluded)
            let ideal = snapshot.frameworks.map { space.vector(analysis.idealAllocation[$0.id] ?? [:]) }
            let wants = snapshot.frameworks.map { FairnessAnalysis.Want(of: $0, space: space) }
            let weights = snapshot.frameworks.map { snapshot.weights[$0.roles[0]] ?? 1 }
            var used = Array(repeating: 0.0, count: space.count)
            for vector in ideal { used = FairnessAnalysis.ResourceSpace.add(used, vector) }
            for resource in 0..<space.count {
                XCTAssertLessThanOrEqual(used[resource], space.totals[resource] * (1 + 1e-9), "round \(round): over capacity")
            }
            let full = (0..<space.count).map { used[$0] >= space.totals[$0] * (1 - 1e-7) }
            for index in ideal.indices {
                let share = space.dominantShare(ideal[index]) / weights[index]
                if !wants[index].elastic {
                    for resource in 0..<space.count {
                        XCTAssertLessThanOrEqual(ideal[index][resource], wants[index].vector[resource] + 1e-9, "round \(round): beyond demand")
                    }
                    if space.dominantShare(ideal[index]) >= space.dominantShare(wants[index].vector) - 1e-9 { continue }
                }
                let blocking = (0..<space.count).filter { full[$0] && wants[index].vector[$0] > 0 }
                XCTAssertFalse(blocking.isEmpty, "round \(round): \(snapshot.frameworks[index].id) is short with no full resource")
                let heldBack = blocking.contains { resource in
                    ideal.indices.allSatisfy { other in
                        wants[other].vector[resource] <= 0
                            || space.dominantShare(ideal[other]) / weights[other] <= share * (1 + 1e-7) + 1e-12
                    }
                }
                XCTAssertTrue(heldBack, "round \(round): \(snapshot.frameworks[index].id) is below someone sharing its full resource")
            }
        }
    }

    /// With nested roles, weights and quotas: the split fits the cluster, capped frameworks get no
    /// more than their demand, quota limits hold for every subtree, and the order of the snapshot's
    /// frameworks does not matter.
    func testRandomHierarchiesFitTheClusterAndRespectLimits() {
        var random = SeededRandom(seed: 7)
        for round in 0..<100 {
            var snapshot = randomSnapshot(&random, frameworks: 1 + random.int(below: 30), roles: ["a", "a/x", "a/y", "b", "b/z/w", "c"])
            for role in ["a", "a/x", "b", "c"] where random.unit() < 0.5 {
                snapshot.quotas[role] = RoleQuota(
                    guarantees: random.unit() < 0.5 ? ["cpus": random.unit() * 20] : [:],
                    limits: ["mem": random.unit() * 100])
            }
            let analysis = FairnessAnalysis(snapshot)
            var sum: [String: Double] = [:]
            for framework in snapshot.frameworks {
                let ideal = analysis.idealAllocation[framework.id] ?? [:]
                sum.merge(ideal, uniquingKeysWith: +)
                if !FairnessAnalysis.isElastic(framework) {
                    for (name, amount) in ideal {
                        let wanted = (framework.used[name] ?? 0) + (framework.offered[name] ?? 0) + (framework.demand[name] ?? 0)
                        XCTAssertLessThanOrEqual(amount, wanted + 1e-9, "round \(round): \(framework.id) beyond its demand")
                    }
                }
            }
            for (name, amount) in sum {
                XCTAssertLessThanOrEqual(amount, (snapshot.total[name] ?? 0) * (1 + 1e-9), "round \(round): \(name) over capacity")
            }
            for (role, quota) in snapshot.quotas {
                let inside = snapshot.frameworks.filter { $0.roles[0] == role || $0.roles[0].hasPrefix(role + "/") }
                for (name, limit) in quota.limits {
                    let held = inside.reduce(0) { $0 + (analysis.idealAllocation[$1.id]?[name] ?? 0) }
                    XCTAssertLessThanOrEqual(held, limit + 1e-9, "round \(round): \(role) over its \(name) limit")
                }
            }
            var shuffled = snapshot
            shuffled.frameworks.reverse()
            XCTAssertEqual(FairnessAnalysis(shuffled).frameworks, analysis.frameworks, "round \(round)")
            for share in analysis.frameworks + analysis.roles.map(\.share) {
                XCTAssertTrue(share.idealShare.isFinite && share.idealShare >= 0 && share.idealShare <= 1 + 1e-9, "round \(round): \(share.id)")
            }
        }
    }

    /// 2,000 frameworks in 200 roles (nested two deep) analyse without trouble; no time is asserted.
    func testTwoThousandFrameworksInTwoHundredRoles() {
        var random = SeededRandom(seed: 2000)
        let roles = (0..<200).map { $0 % 4 == 0 ? "team-\($0 / 20)" : "team-\($0 / 20)/sub-\($0)" }
        let snapshot = randomSnapshot(&random, frameworks: 2000, roles: roles)
        let analysis = FairnessAnalysis(snapshot)
        XCTAssertEqual(analysis.frameworks.count, 2000)
        XCTAssertEqual(Set(analysis.roles.map(\.share.id)), Set(roles))
        let ideal = analysis.frameworks.reduce(into: [String: Double]()) { sum, share in
            sum.merge(analysis.idealAllocation[share.id] ?? [:], uniquingKeysWith: +)
        }
        XCTAssertLessThanOrEqual(ideal["cpus"] ?? 0, (snapshot.total["cpus"] ?? 0) * (1 + 1e-9))
        XCTAssertGreaterThan(ideal["cpus"] ?? 0, 0)
    }
}

// MARK: - Helpers

private func framework(
    _ id: String, roles: [String] = [], used: [String: Double] = [:], offered: [String: Double] = [:],
    tasks: Int = 0, shape: [String: Double] = [:], active: Bool = true, suppressed: Bool = false
) -> FairnessSnapshot.Framework {
    FairnessSnapshot.Framework(
        id: id, roles: roles, used: used, offered: offered,
        demand: tasks > 0 ? shape.mapValues { $0 * Double(tasks) } : [:], demandTasks: tasks,
        demandShapes: Array(repeating: shape, count: tasks), active: active, suppressed: suppressed)
}

private func assertAmounts(
    _ actual: [String: Double]?, _ expected: [String: Double], file: StaticString = #filePath, line: UInt = #line
) {
    let actual = actual ?? [:]
    XCTAssertEqual(Set(actual.keys), Set(expected.keys), "\(actual)", file: file, line: line)
    for (name, amount) in expected {
        XCTAssertEqual(actual[name] ?? -1, amount, accuracy: 1e-9, "\(name) in \(actual)", file: file, line: line)
    }
}

extension FairnessAnalysis {
    fileprivate func framework(_ id: String) -> Share {
        guard let share = frameworks.first(where: { $0.id == id }) else {
            XCTFail("no framework \(id)")
            return Share(id: id, used: [:], offered: [:], dominantResource: nil, dominantShare: -1, weight: -1,
                         weightedShare: -1, demand: [:], idealShare: -1, gap: -1, unmetDemand: false)
        }
        return share
    }

    fileprivate func role(_ path: String) -> RoleShare {
        guard let role = roles.first(where: { $0.share.id == path }) else {
            XCTFail("no role \(path)")
            return RoleShare(share: framework("<missing>"), parent: nil, frameworks: [], quota: nil)
        }
        return role
    }
}


/// A cluster of random size with frameworks of every kind: declared demand (some small enough to
/// be satisfied), elastic, suppressed or inactive, holding random amounts; `roles` nil puts each
/// framework in a top-level role of its own with a random weight.
private func randomSnapshot(_ random: inout SeededRandom, frameworks count: Int, roles: [String]?) -> FairnessSnapshot {
    let total = ["cpus": 10 + random.unit() * 90, "mem": 100 + random.unit() * 900, "disk": 50 + random.unit() * 50, "gpus": 4]
    var weights: [String: Double] = [:]
    var frameworks: [FairnessSnapshot.Framework] = []
    for index in 0..<count {
        let role: String
        if let roles {
            role = roles[random.int(below: roles.count)]
        } else {
            role = "role-\(index)"
            weights[role] = [1, 1, 2, 3, 0.5][random.int(below: 5)]
        }
        let shape = ["cpus": 0.1 + random.unit() * 4, "mem": random.unit() < 0.2 ? 0 : 1 + random.unit() * 64,
                     "disk": random.unit() < 0.5 ? 0 : random.unit() * 5, "gpus": random.unit() < 0.1 ? 1 : 0]
            .filter { $0.value > 0 }
        let used = random.unit() < 0.5 ? [:] : shape.mapValues { $0 * Double(random.int(below: 3)) }
        let kind = random.int(below: 4)
        frameworks.append(framework(
            "fw-\(index)", roles: [role], used: used, tasks: kind <= 1 ? 1 + random.int(below: kind == 0 ? 3 : 60) : 0,
            shape: shape, active: kind != 3 || random.unit() < 0.5, suppressed: kind == 3 && random.unit() < 0.5))
    }
    return FairnessSnapshot(total: total, frameworks: frameworks, weights: weights, excluded: ["gpus"])
}
