import Allocator
import FairwayCore
import XCTest

/// Quota guarantees are served before ordinary DRF; limits are never exceeded.
final class QuotaTests: XCTestCase {
    private func cluster(agents: Int) -> DRFAllocator {
        var allocator = DRFAllocator()
        for index in 0..<agents { allocator.addAgent(String(format: "agent-%03d", index), total: res("cpus:4;mem:4096")) }
        return allocator
    }

    func testLimitIsNeverExceeded() {
        var allocator = cluster(agents: 10)
        allocator.setQuota(role: "capped", RoleQuota(limits: ["cpus": 6]))
        allocator.addFramework("capped-fw", roles: ["capped"])
        let offers = allocator.allocate(now: 0)
        let cpus = offers.to("capped-fw").reduce(0.0) { $0 + $1.resources.scalar("cpus") }
        XCTAssertEqual(cpus, 6, accuracy: 1e-9, "limit of 6 cpus")
        // Memory is not limited: the framework got memory beyond the agents it got cpus on? No:
        // offers without any cpus are still offers of memory.
        XCTAssertLessThanOrEqual(offers.to("capped-fw").filter { $0.resources.scalar("cpus") > 0 }.count, 2)
        XCTAssertEqual(allocator.allocate(now: 1), [], "nothing more once the limit is reached")
    }

    func testLimitCoversTheWholeSubtree() {
        var allocator = cluster(agents: 10)
        allocator.setQuota(role: "eng", RoleQuota(limits: ["cpus": 8, "mem": 8192]))
        allocator.addFramework("a", roles: ["eng/a"])
        allocator.addFramework("b", roles: ["eng/b"])
        let offers = allocator.allocate(now: 0)
        let cpus = offers.reduce(0.0) { $0 + $1.resources.scalar("cpus") }
        XCTAssertEqual(cpus, 8, accuracy: 1e-9)
        XCTAssertEqual(offers.to("a").count, 1)
        XCTAssertEqual(offers.to("b").count, 1)
    }

    func testGuaranteeIsServedBeforeDRF() {
        var allocator = cluster(agents: 10)
        // "aaa" sorts first and would otherwise get the first agents; with equal shares DRF
        // would split 5/5. The guarantee of 32 cpus must be met first: 8 agents.
        allocator.setQuota(role: "zzz-guaranteed", RoleQuota(guarantees: ["cpus": 32]))
        allocator.addFramework("aaa", roles: ["aaa"])
        allocator.addFramework("guaranteed", roles: ["zzz-guaranteed"])
        let offers = allocator.allocate(now: 0)
        let cpus = offers.to("guaranteed").reduce(0.0) { $0 + $1.resources.scalar("cpus") }
        XCTAssertGreaterThanOrEqual(cpus, 32)
        XCTAssertEqual(offers.to("aaa").reduce(0.0) { $0 + $1.resources.scalar("cpus") }, 40 - cpus, accuracy: 1e-9)
    }

    func testUnmetGuaranteeKeepsHeadroomFromOthersWhileItsRoleIsFiltered() {
        var allocator = cluster(agents: 4)
        allocator.setQuota(role: "g", RoleQuota(guarantees: ["cpus": 8]))
        allocator.addFramework("g-fw", roles: ["g"])
        allocator.addFramework("other", roles: ["other"])
        let first = allocator.allocate(now: 0)
        // g-fw declines everything for a while; its guarantee stays laid away, not given to "other".
        for offer in first.to("g-fw") {
            allocator.recoverOffer(frameworkID: "g-fw", agentID: offer.agentID, role: offer.role,
                                   resources: offer.resources, refuseSeconds: 100, now: 0)
        }
        _ = allocator.allocate(now: 1)
        let otherCpus = allocator.allocated(frameworkID: "other").scalar("cpus")
        XCTAssertLessThanOrEqual(otherCpus, 16 - 8 + 1e-9)
    }

    func testGuaranteeOfARoleNobodyUsesLaysNothingAway() {
        var allocator = cluster(agents: 4)
        allocator.setQuota(role: "idle", RoleQuota(guarantees: ["cpus": 8]))
        allocator.addFramework("other", roles: ["other"])
        _ = allocator.allocate(now: 0)
        XCTAssertEqual(allocator.allocated(frameworkID: "other").scalar("cpus"), 16, accuracy: 1e-9)
    }

    func testEmptyQuotaRemovesIt() {
        var allocator = cluster(agents: 1)
        allocator.setQuota(role: "r", RoleQuota(limits: ["cpus": 1]))
        XCTAssertNotNil(allocator.quota(of: "r"))
        allocator.setQuota(role: "r", RoleQuota())
        XCTAssertNil(allocator.quota(of: "r"))
        XCTAssertFalse(allocator.roles.contains("r"))
    }
}
