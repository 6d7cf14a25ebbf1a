import Allocator
import FairwayCore
import XCTest

/// What the master reads back: allocations, shares, totals and demand stay right as agents and
/// frameworks come and go.
final class AllocatorBookkeepingTests: XCTestCase {
    func testRemovingAnAgentMakesItsAllocationsVanish() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).count, 2)
        XCTAssertEqual(allocator.allocated(frameworkID: "f"), res("cpus:8;mem:8192"))

        allocator.removeAgent("a1")
        XCTAssertEqual(allocator.allocated(frameworkID: "f"), res("cpus:4;mem:4096"))
        XCTAssertEqual(allocator.totalResources(), res("cpus:4;mem:4096"))
        XCTAssertEqual(allocator.dominantShare(of: "f"), 1, accuracy: 1e-9)
        XCTAssertEqual(allocator.agentIDs, ["a2"])
    }

    func testTasksOfAFrameworkNotYetSubscribedStayCounted() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.allocateUsed(frameworkID: "old", agentID: "a1", role: "web", resources: res("cpus:3;mem:1024"))
        XCTAssertEqual(allocator.available(agentID: "a1"), res("cpus:1;mem:3072"))
        XCTAssertEqual(allocator.roles, ["web"])

        allocator.addFramework("new", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.resources), [res("cpus:1;mem:3072")],
                       "the unsubscribed framework gets no offer but keeps its resources")
        allocator.addFramework("old", roles: ["web"])
        XCTAssertEqual(allocator.allocated(frameworkID: "old"), res("cpus:3;mem:1024"))
        XCTAssertEqual(allocator.dominantShare(of: "old"), 0.75, accuracy: 1e-9)
    }

    func testRecoverTakesBackOnlyWhatIsHeld() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        allocator.allocateUsed(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:1;mem:128"))
        allocator.recover(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:3;mem:128;disk:10"),
                          refuseSeconds: nil, now: 0)
        XCTAssertEqual(allocator.allocated(frameworkID: "f"), Resources())
        XCTAssertEqual(allocator.available(agentID: "a1"), res("cpus:4;mem:4096"))
    }

    func testExcludedResourcesDoNotCountTowardsDominantShare() {
        var allocator = DRFAllocator(configuration: AllocatorConfiguration(excludedFromFairness: ["gpus"]))
        allocator.addAgent("a1", total: res("cpus:10;mem:10000;gpus:1"))
        allocator.addFramework("f", roles: ["*"])
        allocator.allocateUsed(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:1;mem:100;gpus:1"))
        XCTAssertEqual(allocator.dominantShare(of: "f"), 0.1, accuracy: 1e-9)

        var plain = DRFAllocator()
        plain.addAgent("a1", total: res("cpus:10;mem:10000;gpus:1"))
        plain.addFramework("f", roles: ["*"])
        plain.allocateUsed(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:1;mem:100;gpus:1"))
        XCTAssertEqual(plain.dominantShare(of: "f"), 1, accuracy: 1e-9)
    }

    func testOfferedResourcesCountTowardsShares() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:2;mem:1000"))
        allocator.addAgent("a2", total: res("cpus:2;mem:1000"))
        allocator.addFramework("f", roles: ["*"])
        allocator.addFramework("g", roles: ["*"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(Set(offers.map(\.frameworkID)), ["f", "g"], "the second agent goes to the one not yet served")
        XCTAssertEqual(allocator.dominantShare(of: "f"), 0.5, accuracy: 1e-9)
    }

    func testDemandIsStoredAndDroppedWithTheFramework() {
        var allocator = DRFAllocator()
        allocator.addFramework("f", roles: ["*"])
        let demand = [DemandEntry(agentID: nil, resources: res("cpus:1;mem:128")),
                      DemandEntry(agentID: "a1", resources: res("cpus:2"))]
        allocator.setDemand("f", demand)
        XCTAssertEqual(allocator.demand(of: "f"), demand)
        allocator.removeFramework("f")
        XCTAssertEqual(allocator.demand(of: "f"), [])
    }
}
