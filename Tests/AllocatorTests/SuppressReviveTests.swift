import Allocator
import FairwayCore
import XCTest

/// A suppressed framework is offered nothing until it revives.
final class SuppressReviveTests: XCTestCase {
    func testSuppressedFrameworkGetsNothingAndReviveRestoresOffers() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        allocator.suppress("f", roles: [])
        XCTAssertEqual(allocator.allocate(now: 0), [])
        XCTAssertEqual(allocator.allocate(now: 100), [])

        allocator.revive("f", roles: [])
        XCTAssertEqual(allocator.allocate(now: 101),
                       [Allocation(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:4;mem:4096"))])
    }

    func testSuppressedFrameworkIsSkippedInFavourOfOthers() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("a-suppressed", roles: ["*"], suppressedRoles: ["*"])
        allocator.addFramework("b-eager", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.frameworkID), ["b-eager"])
        XCTAssertEqual(allocator.allocated(frameworkID: "a-suppressed"), Resources())
    }

    func testSuppressingOneRoleLeavesTheOtherServed() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["x", "y"])
        allocator.suppress("f", roles: ["x"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.count, 2)
        XCTAssertEqual(Set(offers.map(\.role)), ["y"])

        allocator.revive("f", roles: ["x"])
        allocator.addAgent("a3", total: res("cpus:4;mem:4096"))
        XCTAssertEqual(allocator.allocate(now: 1).map(\.role), ["x"], "x is now furthest below its share")
    }
}
