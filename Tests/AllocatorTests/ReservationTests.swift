import Allocator
import FairwayCore
import XCTest

/// Resources statically reserved for a role are offered only to frameworks in that role.
final class ReservationTests: XCTestCase {
    func testReservedCpusGoOnlyToTheirRole() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus(batch):2;cpus:2;mem:1024"))
        // Role "alpha" sorts first, so it is served first and must not receive the batch reservation.
        allocator.addFramework("alpha-fw", roles: ["alpha"])
        allocator.addFramework("batch-fw", roles: ["batch"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.to("alpha-fw").map(\.resources), [res("cpus:2;mem:1024")])
        XCTAssertEqual(offers.to("batch-fw").map(\.resources), [res("cpus(batch):2")])
        XCTAssertEqual(offers.to("batch-fw").map(\.role), ["batch"])
    }

    func testReservationStaysUnofferedWithoutAFrameworkOfItsRole() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus(batch):2;cpus:2;mem:1024"))
        allocator.addFramework("alpha-fw", roles: ["alpha"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.resources), [res("cpus:2;mem:1024")])
        XCTAssertEqual(allocator.allocate(now: 1), [])
        XCTAssertEqual(allocator.available(agentID: "a1"), res("cpus(batch):2"))
    }

    func testFrameworkOfTheRoleGetsReservedAndUnreservedTogether() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus(batch):2;cpus:2;mem:1024"))
        allocator.addFramework("batch-fw", roles: ["batch"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.resources), [res("cpus(batch):2;cpus:2;mem:1024")])
    }
}
