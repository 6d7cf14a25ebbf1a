import PodCore
import XCTest

final class PodQueueTests: XCTestCase {
    func testKeepsOrderAcrossRemovals() {
        var queue = PodQueue((0..<100).map { pod("p\($0)") })
        for index in stride(from: 0, to: 100, by: 2) { XCTAssertNotNil(queue.remove(uid: "p\(index)")) }
        XCTAssertEqual(queue.count, 50)
        XCTAssertEqual(queue.pods.map(\.uid), stride(from: 1, to: 100, by: 2).map { "p\($0)" })
        XCTAssertNil(queue.remove(uid: "p0"))
        queue.add(pod("late"))
        XCTAssertEqual(queue.pods.last?.uid, "late")
        XCTAssertTrue(queue.contains(uid: "p99"))
    }

    /// Placement empties the queue from the front; what is left stays reachable by uid.
    func testDrainingFromTheFrontKeepsLookupsAndOrder() {
        var queue = PodQueue((0..<100).map { pod("p\($0)", at: Double($0)) })
        for index in 0..<60 { XCTAssertEqual(queue.remove(uid: "p\(index)")?.uid, "p\(index)") }
        XCTAssertEqual(queue.count, 40)
        XCTAssertEqual(queue["p70"]?.uid, "p70")
        XCTAssertNil(queue["p10"])
        queue.add(pod("p75", cpus: 3, at: 75))
        XCTAssertEqual(queue["p75"]?.cpus, 3)
        XCTAssertEqual(queue.remove(uid: "p99")?.uid, "p99")
        queue.add(pod("new", at: 200))
        for index in 60..<90 { queue.remove(uid: "p\(index)") }
        XCTAssertEqual(Array(queue.oldestFirst()).map(\.uid), (90..<99).map { "p\($0)" } + ["new"])
        XCTAssertEqual(queue.pods.map(\.uid), (90..<99).map { "p\($0)" } + ["new"])
        XCTAssertEqual(queue.demand, [PodDemand(cpus: 1, memMB: 128, count: 10)])
    }

    func testReAddingAQueuedPodKeepsItsTurn() {
        var queue = PodQueue([pod("a"), pod("b")])
        queue.add(pod("a", cpus: 2))
        XCTAssertEqual(queue.pods.map(\.uid), ["a", "b"])
        XCTAssertEqual(queue["a"]?.cpus, 2)
    }

    /// A pod put back after a failed launch is older than those queued since: it is placed first.
    func testOldestFirstSortsPodsPutBackAndKeepsRemovalsWorking() {
        var queue = PodQueue([pod("b", at: 2), pod("c", at: 3)])
        queue.add(pod("a", at: 1))
        XCTAssertEqual(queue.pods.map(\.uid), ["b", "c", "a"])
        XCTAssertEqual(Array(queue.oldestFirst()).map(\.uid), ["a", "b", "c"])
        queue.remove(uid: "b")
        queue.add(pod("d", at: 4))
        XCTAssertEqual(Array(queue.oldestFirst()).map(\.uid), ["a", "c", "d"])
        XCTAssertEqual(queue.smallest?.cpus, 1)
    }

    /// The demand the framework declares to the master follows every add, change and removal.
    func testDemandAndControllerCountsFollowTheQueue() {
        var queue = PodQueue([pod("a", cpus: 1, rc: "rc/default/web"), pod("b", cpus: 1, rc: "rc/default/web"),
                              pod("c", cpus: 0.5, mem: 64)])
        XCTAssertEqual(queue.demand, [PodDemand(cpus: 0.5, memMB: 64, count: 1), PodDemand(cpus: 1, memMB: 128, count: 2)])
        XCTAssertEqual(queue.count(ofController: "rc/default/web"), 2)
        queue.add(pod("b", cpus: 2, rc: "rc/default/web"))
        XCTAssertEqual(queue.demand, [PodDemand(cpus: 0.5, memMB: 64, count: 1), PodDemand(cpus: 1, memMB: 128, count: 1),
                                      PodDemand(cpus: 2, memMB: 128, count: 1)])
        XCTAssertEqual(queue.count(ofController: "rc/default/web"), 2)
        queue.remove(uid: "a")
        queue.remove(uid: "b")
        queue.remove(uid: "b")
        XCTAssertEqual(queue.demand, [PodDemand(cpus: 0.5, memMB: 64, count: 1)])
        XCTAssertEqual(queue.count(ofController: "rc/default/web"), 0)
        queue.remove(uid: "c")
        XCTAssertEqual(queue.demand, [])
    }
}

final class PlacementStateTests: XCTestCase {
    func testRemovingPodsAndAgentsUpdatesReplicaCounts() {
        var state = PlacementState()
        state.record(podUID: "w1", controllerKey: "rc/default/web", agentID: "a1", at: 0)
        state.record(podUID: "w2", controllerKey: "rc/default/web", agentID: "a1", at: 0)
        state.record(podUID: "w3", controllerKey: "rc/default/web", agentID: "a2", at: 0)
        XCTAssertEqual(state.replicasByAgent(of: "rc/default/web"), ["a1": 2, "a2": 1])
        XCTAssertEqual(state.replicas(of: "rc/default/web"), 3)
        state.record(podUID: "w3", controllerKey: "rc/default/web", agentID: "a1", at: 0)
        XCTAssertEqual(state.replicas(of: "rc/default/web"), 3, "moving a pod does not count it twice")
        state.record(podUID: "w3", controllerKey: "rc/default/web", agentID: "a2", at: 0)
        state.remove(podUID: "w1")
        XCTAssertEqual(state.replicas(of: "rc/default/web", on: "a1"), 1)
        XCTAssertEqual(state.removeAgent("a1"), ["w2"])
        XCTAssertEqual(state.replicasByAgent(of: "rc/default/web"), ["a2": 1])
        XCTAssertEqual(state.count, 1)
        XCTAssertEqual(state.replicas(of: "rc/default/web"), 1)
    }
}
