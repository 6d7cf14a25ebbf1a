import Allocator
import FairwayCore
import XCTest

/// Declining with `refuse_seconds` keeps the same resources away from that framework on that agent
/// until the filter expires; larger resources and other agents are not blocked; REVIVE clears it.
final class OfferFilterTests: XCTestCase {
    private func declineAll(_ allocator: inout DRFAllocator, _ offers: [Allocation], refuseSeconds: Double?, now: Double) {
        for offer in offers {
            allocator.recover(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                              resources: offer.resources, refuseSeconds: refuseSeconds, now: now)
        }
    }

    func testDeclinedAgentIsNotReofferedBeforeRefuseSecondsButIsAfter() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        let first = allocator.allocate(now: 0)
        XCTAssertEqual(first.count, 1)
        declineAll(&allocator, first, refuseSeconds: 10, now: 0)

        XCTAssertEqual(allocator.nextFilterExpiry, 10)
        XCTAssertEqual(allocator.allocate(now: 5), [], "filtered for 10 s")
        XCTAssertEqual(allocator.allocate(now: 9.9), [], "filtered for 10 s")
        let later = allocator.allocate(now: 10)
        XCTAssertEqual(later, [Allocation(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:4;mem:4096"))])
        XCTAssertNil(allocator.nextFilterExpiry, "the expired filter is gone")
    }

    func testDeclineWithoutRefuseSecondsIsReofferedAtOnce() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        let first = allocator.allocate(now: 0)
        declineAll(&allocator, first, refuseSeconds: 0, now: 0)
        let second = allocator.allocate(now: 0)
        XCTAssertEqual(second.count, 1, "refuseSeconds 0 installs no filter")
        declineAll(&allocator, second, refuseSeconds: nil, now: 0)
        XCTAssertEqual(allocator.allocate(now: 0).count, 1, "no refuseSeconds installs no filter")
        XCTAssertEqual(allocator.offerFilterCount, 0)
    }

    func testFilteredAgentGoesToTheNextFrameworkInstead() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("first", roles: ["*"])
        allocator.addFramework("second", roles: ["*"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.map(\.frameworkID), ["first"])
        declineAll(&allocator, offers, refuseSeconds: 60, now: 0)
        XCTAssertEqual(allocator.allocate(now: 1).map(\.frameworkID), ["second"])
    }

    func testFilterDoesNotBlockResourcesNotContainedInWhatWasDeclined() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("holder", roles: ["*"], active: false)
        allocator.allocateUsed(frameworkID: "holder", agentID: "a1", role: "*", resources: res("cpus:2;mem:2048"))
        allocator.addFramework("f", roles: ["*"])

        let half = allocator.allocate(now: 0)
        XCTAssertEqual(half, [Allocation(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:2;mem:2048"))])
        declineAll(&allocator, half, refuseSeconds: 100, now: 0)
        XCTAssertEqual(allocator.allocate(now: 1), [], "the same resources are filtered")

        // The holder's task ends: the agent now has more than f declined.
        allocator.recover(frameworkID: "holder", agentID: "a1", role: "*", resources: res("cpus:2;mem:2048"),
                          refuseSeconds: nil, now: 2)
        XCTAssertEqual(allocator.allocate(now: 2),
                       [Allocation(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:4;mem:4096"))])
    }

    func testFilterOnOneAgentDoesNotBlockAnother() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        let offers = allocator.allocate(now: 0)
        declineAll(&allocator, offers, refuseSeconds: 100, now: 0)
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        XCTAssertEqual(allocator.allocate(now: 1).map(\.agentID), ["a2"])
    }

    func testReviveClearsFilters() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        let offers = allocator.allocate(now: 0)
        declineAll(&allocator, offers, refuseSeconds: 1000, now: 0)
        XCTAssertEqual(allocator.allocate(now: 1), [])

        allocator.revive("f", roles: [])
        XCTAssertNil(allocator.nextFilterExpiry)
        XCTAssertEqual(allocator.allocate(now: 2).map(\.frameworkID), ["f"])
    }

    func testFiltersArePerRoleAndReviveOfOneRoleClearsOnlyThatRolesFilters() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["x", "y"])
        let inX = allocator.allocate(now: 0)
        XCTAssertEqual(inX.map(\.role), ["x"])
        declineAll(&allocator, inX, refuseSeconds: 1000, now: 0)
        let inY = allocator.allocate(now: 1)
        XCTAssertEqual(inY.map(\.role), ["y"], "a filter in role x does not block role y")
        declineAll(&allocator, inY, refuseSeconds: 1000, now: 1)
        XCTAssertEqual(allocator.allocate(now: 2), [])
        XCTAssertEqual(allocator.offerFilterCount, 2)

        allocator.revive("f", roles: ["y"])
        XCTAssertEqual(allocator.offerFilterCount, 1)
        XCTAssertEqual(allocator.allocate(now: 3).map(\.role), ["y"])
    }

    func testNextFilterExpiryIsTheEarliest() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        let offers = allocator.allocate(now: 0).sorted { $0.agentID < $1.agentID }
        XCTAssertEqual(offers.count, 2)
        declineAll(&allocator, [offers[0]], refuseSeconds: 30, now: 0)
        declineAll(&allocator, [offers[1]], refuseSeconds: 5, now: 0)
        XCTAssertEqual(allocator.nextFilterExpiry, 5)
        XCTAssertEqual(allocator.allocate(now: 5).map(\.agentID), ["a2"])
        XCTAssertEqual(allocator.nextFilterExpiry, 30)
    }

    /// Many long refusals cleared by revive, behind a shorter live one, must neither hide nor
    /// outlive it in `nextFilterExpiry`.
    func testNextFilterExpiryStaysRightAfterManyRevives() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:4096"))
        allocator.addAgent("a2", total: res("cpus:4;mem:4096"))
        allocator.addFramework("f", roles: ["*"])
        allocator.addFramework("g", roles: ["*"])
        let first = allocator.allocate(now: 0)
        XCTAssertEqual(first.map(\.frameworkID).sorted(), ["f", "g"])
        declineAll(&allocator, first.to("g"), refuseSeconds: 50, now: 0)
        declineAll(&allocator, first.to("f"), refuseSeconds: 100_000, now: 0)

        for round in 1...300 {
            let now = Double(round) / 10
            allocator.revive("f", roles: [])
            XCTAssertEqual(allocator.nextFilterExpiry, 50, "round \(round)")
            let offers = allocator.allocate(now: now)
            XCTAssertEqual(offers.to("f").count, 2, "round \(round): revive made both agents offerable to f")
            declineAll(&allocator, offers, refuseSeconds: 100_000, now: now)
        }
        allocator.revive("f", roles: [])
        XCTAssertEqual(allocator.offerFilterCount, 1)
        XCTAssertEqual(allocator.allocate(now: 50).map(\.frameworkID).sorted(), ["f", "g"], "g's filter has expired")
        XCTAssertNil(allocator.nextFilterExpiry)
    }
}
