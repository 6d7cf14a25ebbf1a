import Allocator
import FairwayCore
import XCTest

/// Deactivated frameworks keep what they hold but get no offers; removed frameworks give
/// everything back.
final class FrameworkLifecycleTests: XCTestCase {
    func testDeactivatedFrameworkGetsNothingButKeepsItsAllocation() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        allocator.allocateUsed(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:4;mem:4096"))

        allocator.deactivateFramework("f")
        XCTAssertEqual(allocator.allocate(now: 0), [])
        XCTAssertEqual(allocator.allocated(frameworkID: "f"), res("cpus:4;mem:4096"))

        allocator.activateFramework("f")
        XCTAssertEqual(allocator.allocate(now: 1).map(\.agentID), ["a2"])
    }

    func testFrameworkAddedInactiveGetsNothingUntilActivated() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"], active: false)
        XCTAssertEqual(allocator.allocate(now: 0), [])
        allocator.activateFramework("f")
        XCTAssertEqual(allocator.allocate(now: 0).map(\.frameworkID), ["f"])
    }

    func testRemovingAFrameworkReturnsItsResources() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("a-first", roles: ["*"])
        allocator.addFramework("b-second", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.frameworkID), ["a-first"])
        XCTAssertEqual(allocator.allocate(now: 1), [], "the agent is fully offered")

        allocator.removeFramework("a-first")
        XCTAssertEqual(allocator.allocated(frameworkID: "a-first"), Resources())
        XCTAssertEqual(allocator.dominantShare(of: "a-first"), 0)
        XCTAssertEqual(allocator.available(agentID: "a1"), res("cpus:4;mem:4096"))
        XCTAssertEqual(allocator.allocate(now: 2),
                       [Allocation(frameworkID: "b-second", agentID: "a1", role: "*", resources: res("cpus:4;mem:4096"))])
    }

    func testRemovedFrameworkLeavesItsRoleUnlessWeighted() {
        var allocator = DRFAllocator()
        allocator.addFramework("f", roles: ["web"])
        XCTAssertEqual(allocator.roles, ["web"])
        allocator.removeFramework("f")
        XCTAssertEqual(allocator.roles, [])
    }
}
