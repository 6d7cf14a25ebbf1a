import Allocator
import FairwayCore
import XCTest

/// DRF at every level of the role tree: siblings split their parent's share by weight, whatever the
/// number of frameworks below each of them.
final class HierarchicalRoleTests: XCTestCase {
    private func cluster(agents: Int) -> DRFAllocator {
        var allocator = DRFAllocator()
        for index in 0..<agents { allocator.addAgent(String(format: "agent-%03d", index), total: res("cpus:1;mem:1024")) }
        return allocator
    }

    func testTopLevelRolesSplitEvenlyWhateverTheirNumberOfFrameworks() {
        var allocator = cluster(agents: 40)
        // eng has three frameworks in two sub-roles, ops one: flat DRF would give ops a quarter.
        allocator.addFramework("eng-batch-1", roles: ["eng/batch"])
        allocator.addFramework("eng-batch-2", roles: ["eng/batch"])
        allocator.addFramework("eng-web-1", roles: ["eng/web"])
        allocator.addFramework("ops-1", roles: ["ops"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.count, 40)
        XCTAssertEqual(offers.to("ops-1").count, 20, "ops is one of two top-level roles")
        XCTAssertEqual(offers.to("eng-web-1").count, 10, "eng/web is half of eng")
        XCTAssertEqual(offers.to("eng-batch-1").count, 5)
        XCTAssertEqual(offers.to("eng-batch-2").count, 5)
        XCTAssertEqual(allocator.dominantShare(ofRole: "eng"), 0.5, accuracy: 1e-9)
        XCTAssertEqual(allocator.dominantShare(ofRole: "eng/batch"), 0.25, accuracy: 1e-9)
    }

    func testWeightsApplyBetweenSiblingsInsideAParent() {
        var allocator = cluster(agents: 30)
        allocator.setWeight(role: "eng/web", weight: 2)
        allocator.addFramework("batch", roles: ["eng/batch"])
        allocator.addFramework("web", roles: ["eng/web"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.to("web").count, 20)
        XCTAssertEqual(offers.to("batch").count, 10)
    }

    func testFrameworksOfAParentRoleCompeteWithItsChildren() {
        var allocator = cluster(agents: 20)
        allocator.addFramework("eng-itself", roles: ["eng"])
        allocator.addFramework("eng-batch", roles: ["eng/batch"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.to("eng-itself").count, 10)
        XCTAssertEqual(offers.to("eng-batch").count, 10)
    }

    func testReservationForAParentServesItsChildren() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus(eng):2;mem(eng):1024"))
        allocator.addFramework("outsider", roles: ["ops"])
        allocator.addFramework("batch", roles: ["eng/batch"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.to("batch").map(\.resources), [res("cpus(eng):2;mem(eng):1024")])
        XCTAssertEqual(offers.to("outsider"), [])
    }

    func testATaskEndingOffersOnlyThatAgentAgain() {
        var allocator = cluster(agents: 10)
        allocator.addFramework("f", roles: ["eng/batch"])
        let first = allocator.allocate(now: 0)
        XCTAssertEqual(first.count, 10)
        for offer in first {
            allocator.offerAccepted(frameworkID: "f", agentID: offer.agentID, role: offer.role, resources: offer.resources)
        }
        allocator.recover(frameworkID: "f", agentID: "agent-003", role: "eng/batch", resources: res("cpus:1;mem:1024"),
                          refuseSeconds: nil, now: 1)
        let again = allocator.allocate(now: 1)
        XCTAssertEqual(again.map(\.agentID), ["agent-003"])
        XCTAssertEqual(allocator.allocate(now: 2), [], "nothing changed since")
    }
}
