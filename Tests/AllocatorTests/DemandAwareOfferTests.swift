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
