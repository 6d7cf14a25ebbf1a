import PodCore
import XCTest

final class SchedulerProfileTests: XCTestCase {
    func testUnknownPluginNameIsRejectedWithTheKnownNames() {
        let profile = SchedulerProfile(filters: ["ResourcesFit", "GPUFit"], scores: [])
        XCTAssertThrowsError(try PodPlacer(profile: profile)) { error in
            XCTAssertEqual("\(error)", #"unknown filter plugin "GPUFit" in the scheduler profile; use one of: NodeSelectorMatch, PodsPerAgent, ResourcesFit"#)
        }
    }

    func testWithoutSpreadingReplicasPackByLeastAllocatedAlone() throws {
        let profile = SchedulerProfile(filters: ["ResourcesFit"], scores: [.init(name: "LeastAllocated")])
        var placer = try PodPlacer(profile: profile)
        // a2 is bigger, so it stays the least allocated for the first few pods.
        let pending = (1...3).map { pod("p\($0)", rc: "rc/default/web") }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4, mem: 4096), offer("a2", cpus: 16, mem: 16384)], now: 0)
        XCTAssertEqual(result.podsPerAgent, ["a2": 3])
    }

    func testWithoutNodeSelectorFilterSelectorsAreIgnored() throws {
        let profile = SchedulerProfile(filters: ["ResourcesFit"], scores: [])
        var placer = try PodPlacer(profile: profile)
        let result = placer.place(pending: [pod("p", selector: ["disk": "ssd"])], offers: [offer("a1")], now: 0)
        XCTAssertEqual(result.assignments.count, 1)
    }

    func testRegistryListsTheBuiltInPlugins() {
        XCTAssertEqual(PluginRegistry.builtIn.filters.keys.sorted(), ["NodeSelectorMatch", "PodsPerAgent", "ResourcesFit"])
        XCTAssertEqual(PluginRegistry.builtIn.scores.keys.sorted(), ["LeastAllocated", "SpreadReplicas"])
    }
}
