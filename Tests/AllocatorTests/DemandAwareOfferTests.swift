import Allocator
import FairwayCore
import XCTest

/// Frameworks that declare their pending tasks get offers sized by DRF progressive filling instead
/// of whole agents going to whoever is first.
final class DemandAwareOfferTests: XCTestCase {
    private func demand(_ shape: String, count: Int) -> [DemandEntry] {
        Array(repeating: DemandEntry(resources: res(shape)), count: count)
    }

    /// The DRF paper's cluster as one agent: one pass splits it 3 tasks to 2, equal shares of 2/3.
    func testOnePassSplitsTheDRFPaperClusterFairly() {
        var allocator = DRFAllocator()
        allocator.addAgent("agent", total: res("cpus:9;mem:18432"))
        allocator.addFramework("A", roles: ["*"])
        allocator.addFramework("B", roles: ["*"])
        allocator.setDemand("A", demand("cpus:1;mem:4096", count: 10))
        allocator.setDemand("B", demand("cpus:3;mem:1024", count: 10))
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.to("A").map(\.resources), [res("cpus:3;mem:12288")])
        XCTAssertEqual(offers.to("B").map(\.resources), [res("cpus:6;mem:2048")])
        XCTAssertEqual(allocator.dominantShare(of: "A"), 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(allocator.dominantShare(of: "B"), 2.0 / 3.0, accuracy: 1e-9)
    }

    /// Whole-agent offers on one big agent would hand all of it to the first framework.
    func testFirstComerDoesNotTakeTheWholeAgent() {
        var allocator = DRFAllocator()
        allocator.addAgent("big", total: res("cpus:32;mem:65536"))
        for name in ["a", "b", "c", "d"] {
            allocator.addFramework(name, roles: ["*"])
            allocator.setDemand(name, demand("cpus:1;mem:2048", count: 100))
        }
        let offers = allocator.allocate(now: 0)
        for name in ["a", "b", "c", "d"] {
            XCTAssertEqual(offers.to(name).first?.resources.scalar("cpus") ?? 0, 8, accuracy: 1e-9, name)
        }
    }

    func testOfferIsNoBiggerThanTheDeclaredDemand() {
        var allocator = DRFAllocator()
        allocator.addAgent("big", total: res("cpus:32;mem:65536;ports:[31000-31099]"))
        allocator.addFramework("small", roles: ["*"])
        allocator.setDemand("small", demand("cpus:2;mem:1024;ports:[1-2]", count: 3))
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.count, 1)
        XCTAssertEqual(offers.first?.resources.scalar("cpus") ?? 0, 6, accuracy: 1e-9)
        XCTAssertEqual(offers.first?.resources.scalar("mem") ?? 0, 3072, accuracy: 1e-9)
        guard case .ranges(let ports)? = offers.first?.resources[ResourceKey(name: "ports")] else {
            return XCTFail("six ports expected in \(String(describing: offers.first))")
        }
        XCTAssertEqual(ports.count, 6)
        XCTAssertEqual(allocator.allocate(now: 1), [], "tasks covered by the outstanding offer are not offered again")
    }

    func testUndeclaredFrameworkKeepsWholeAgentOffers() {
        var allocator = DRFAllocator()
        allocator.addAgent("big", total: res("cpus:32;mem:65536"))
        allocator.addFramework("classic", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.resources), [res("cpus:32;mem:65536")])
    }

    func testDeclinedOfferPutsItsTasksBackInDemand() {
        var allocator = DRFAllocator()
        allocator.addAgent("big", total: res("cpus:8;mem:8192"))
        allocator.addFramework("f", roles: ["*"])
        allocator.setDemand("f", demand("cpus:1;mem:1024", count: 2))
        let offer = allocator.allocate(now: 0)
        XCTAssertEqual(offer.first?.resources, res("cpus:2;mem:2048"))
        allocator.recoverOffer(frameworkID: "f", agentID: "big", role: "*", resources: res("cpus:2;mem:2048"),
                               refuseSeconds: nil, now: 0)
        XCTAssertEqual(allocator.allocate(now: 1).first?.resources, res("cpus:2;mem:2048"))
    }

    /// A task declined on one agent (say a backup that must not run beside its original) is
    /// offered on another at once, and not again where it was refused until the filter expires.
    func testATaskDeclinedWithAFilterIsOfferedOnAnotherAgent() {
        var allocator = DRFAllocator()
        allocator.addAgent("a", total: res("cpus:4;mem:4096"))
        allocator.addAgent("b", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        allocator.setDemand("f", demand("cpus:1;mem:128", count: 1))
        let first = allocator.allocate(now: 0)
        XCTAssertEqual(first.map(\.agentID), ["a"])
        allocator.recoverOffer(frameworkID: "f", agentID: "a", role: "*", resources: res("cpus:1;mem:128"),
                               refuseSeconds: 30, now: 0)
        let second = allocator.allocate(now: 1)
        XCTAssertEqual(second.map(\.agentID), ["b"])
        XCTAssertEqual(second.first?.resources, res("cpus:1;mem:128"))
        allocator.recoverOffer(frameworkID: "f", agentID: "b", role: "*", resources: res("cpus:1;mem:128"),
                               refuseSeconds: 30, now: 1)
        XCTAssertEqual(allocator.allocate(now: 2), [], "both agents refused the task")
        XCTAssertEqual(allocator.allocate(now: 31).map(\.agentID), ["a"], "the first filter expired")
    }
}

extension DemandAwareOfferTests {
    func testLaunchedTasksAreNoLongerPending() {
        var allocator = DRFAllocator()
        allocator.addAgent("big", total: res("cpus:8;mem:8192"))
        allocator.addFramework("f", roles: ["*"])
        allocator.setDemand("f", demand("cpus:1;mem:1024", count: 3))
        let offer = allocator.allocate(now: 0)
        XCTAssertEqual(offer.first?.resources, res("cpus:3;mem:3072"))
        // Two tasks launched, the third's share of the offer handed back.
        allocator.offerAccepted(frameworkID: "f", agentID: "big", role: "*", resources: res("cpus:2;mem:2048"))
        allocator.recoverOffer(frameworkID: "f", agentID: "big", role: "*", resources: res("cpus:1;mem:1024"),
                               refuseSeconds: nil, now: 0)
        XCTAssertEqual(allocator.demand(of: "f").count, 1)
        XCTAssertEqual(allocator.allocate(now: 1).map(\.resources), [res("cpus:1;mem:1024")])
    }
}

/// Two big agents, three frameworks with the same 40 pending tasks of <1 CPU, 2 GB>: whole-agent
/// offers hand one agent each to the first two and starve the third; demand-aware offers end within
/// one task of the ideal DRF split (a third of the cluster each).
extension DemandAwareOfferTests {
    private func settle(declaring: Bool) -> (tasks: [String: Int], ideal: [String: Double]) {
        var allocator = DRFAllocator()
        allocator.addAgent("big-1", total: res("cpus:32;mem:65536"))
        allocator.addAgent("big-2", total: res("cpus:32;mem:65536"))
        let shape = res("cpus:1;mem:2048")
        var tasks: [String: Int] = [:]
        for name in ["a", "b", "c"] {
            allocator.addFramework(name, roles: ["*"])
            if declaring { allocator.setDemand(name, demand("cpus:1;mem:2048", count: 40)) }
        }
        for round in 0..<100 {
            let offers = allocator.allocate(now: Double(round))
            if offers.isEmpty { break }
            for offer in offers {
                let fits = Int(min(offer.resources.scalar("cpus"), offer.resources.scalar("mem") / 2048))
                let count = min(fits, 40 - tasks[offer.frameworkID, default: 0])
                var used = Resources()
                for _ in 0..<count { used += shape }
                tasks[offer.frameworkID, default: 0] += count
                allocator.offerAccepted(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role, resources: used)
                // Mesos frameworks decline what they cannot use with a long filter.
                allocator.recoverOffer(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                                       resources: offer.resources - used, refuseSeconds: 3600, now: Double(round))
            }
        }
        // The ideal split of the same declared work, whatever the allocator did.
        var snapshot = allocator.fairnessSnapshot()
        for index in snapshot.frameworks.indices {
            snapshot.frameworks[index].used = [:]
            snapshot.frameworks[index].demand = ["cpus": 40, "mem": 81920]
            snapshot.frameworks[index].demandTasks = 40
        }
        let analysis = FairnessAnalysis(snapshot)
        let ideal = Dictionary(uniqueKeysWithValues: analysis.frameworks.map { ($0.id, $0.idealShare * 64) })
        return (tasks, ideal)
    }

    func testDemandAwareOffersConvergeToTheIdealSplitWithinOneTask() {
        let result = settle(declaring: true)
        for name in ["a", "b", "c"] {
            let ideal = result.ideal[name] ?? 0
            XCTAssertEqual(ideal, 64.0 / 3, accuracy: 1e-6)
            XCTAssertLessThanOrEqual(abs(Double(result.tasks[name, default: 0]) - ideal), 1, "\(name): \(result.tasks)")
        }
    }

    func testWholeAgentOffersDoNotConvergeInTheSameScenario() {
        let result = settle(declaring: false)
        let worst = ["a", "b", "c"].map { abs(Double(result.tasks[$0, default: 0]) - (result.ideal[$0] ?? 0)) }.max() ?? 0
        XCTAssertGreaterThan(worst, 5, "Mesos's behaviour: \(result.tasks)")
    }
}
