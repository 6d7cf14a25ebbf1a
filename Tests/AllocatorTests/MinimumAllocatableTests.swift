import Allocator
import FairwayCore
import XCTest

/// Crumbs are not offered: an offer must hold at least one of the minimum quantities
/// (Mesos default cpus 0.01 or mem 32).
final class MinimumAllocatableTests: XCTestCase {
    func testAgentWithOnlyCrumbsFreeIsNotOffered() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:0.001;mem:1"))
        allocator.addFramework("f", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0), [])
    }

    func testCrumbsLeftAfterTasksAreNotOfferedButFreedResourcesAre() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:4;mem:1025"))
        allocator.addFramework("f", roles: ["*"])
        allocator.allocateUsed(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:3.999;mem:1024"))
        XCTAssertEqual(allocator.available(agentID: "a1"), res("cpus:0.001;mem:1"))
        XCTAssertEqual(allocator.allocate(now: 0), [])

        allocator.recover(frameworkID: "f", agentID: "a1", role: "*", resources: res("cpus:1;mem:512"),
                          refuseSeconds: nil, now: 1)
        XCTAssertEqual(allocator.allocate(now: 1).map(\.resources), [res("cpus:1.001;mem:513")])
    }

    func testEitherMinimumQuantityIsEnough() {
        var allocator = DRFAllocator()
        allocator.addAgent("cpu-only", total: res("cpus:0.01"))
        allocator.addAgent("mem-only", total: res("mem:32"))
        allocator.addAgent("neither", total: res("cpus:0.009;mem:31;disk:1000"))
        allocator.addFramework("f", roles: ["*"])
        XCTAssertEqual(Set(allocator.allocate(now: 0).map(\.agentID)), ["cpu-only", "mem-only"])
    }

    func testFrameworkMinimumOverridesTheDefault() {
        var allocator = DRFAllocator()
        allocator.addAgent("a1", total: res("cpus:0.5;mem:512"))
        allocator.addFramework("a-picky", roles: ["*"], minimumAllocatable: [["cpus": 1, "mem": 256]])
        allocator.addFramework("b-easy", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.frameworkID), ["b-easy"])
    }

    func testConfiguredMinimumApplies() {
        var allocator = DRFAllocator(configuration: AllocatorConfiguration(minimumAllocatable: [["cpus": 1]]))
        allocator.addAgent("small", total: res("cpus:0.5;mem:4096"))
        allocator.addAgent("big", total: res("cpus:1;mem:16"))
        allocator.addFramework("f", roles: ["*"])
        XCTAssertEqual(allocator.allocate(now: 0).map(\.agentID), ["big"])
    }
}
