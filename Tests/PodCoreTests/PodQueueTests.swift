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

    func testReAddingAQueuedPodKeepsItsTurn() {
        var queue = PodQueue([pod("a"), pod("b")])
        queue.add(pod("a", cpus: 2))
        XCTAssertEqual(queue.pods.map(\.uid), ["a", "b"])
        XCTAssertEqual(queue["a"]?.cpus, 2)
    }
}

final class PlacementStateTests: XCTestCase {
    func testRemovingPodsAndAgentsUpdatesReplicaCounts() {
        var state = PlacementState()
        state.record(podUID: "w1", controllerKey: "rc/default/web", agentID: "a1", at: 0)
        state.record(podUID: "w2", controllerKey: "rc/default/web", agentID: "a1", at: 0)
        state.record(podUID: "w3", controllerKey: "rc/default/web", agentID: "a2", at: 0)
        XCTAssertEqual(state.replicasByAgent(of: "rc/default/web"), ["a1": 2, "a2": 1])
        state.remove(podUID: "w1")
        XCTAssertEqual(state.replicas(of: "rc/default/web", on: "a1"), 1)
        XCTAssertEqual(state.removeAgent("a1"), ["w2"])
        XCTAssertEqual(state.replicasByAgent(of: "rc/default/web"), ["a2": 1])
        XCTAssertEqual(state.count, 1)
    }
}
