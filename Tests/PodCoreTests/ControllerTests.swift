import PodCore
import XCTest

final class ReplicaPlannerTests: XCTestCase {
    private func owned(_ name: String, _ phase: PodPhase = .running, ready: Bool = true, scheduled: Bool = true,
                       at createdAt: Double = 0) -> ReplicaPlanner.OwnedPod {
        ReplicaPlanner.OwnedPod(name: name, phase: phase, ready: ready, scheduled: scheduled, createdAt: createdAt)
    }

    func testCreatesWhatIsMissing() {
        let decision = ReplicaPlanner.decide(replicas: 3, pods: [owned("a")])
        XCTAssertEqual(decision.create, 2)
        XCTAssertTrue(decision.delete.isEmpty)
        XCTAssertEqual(decision.status.replicas, 1)
    }

    func testScalesDownTheLeastUsefulFirst() {
        let pods = [owned("old", at: 1), owned("new", at: 5), owned("unready", ready: false, at: 2),
                    owned("pending", .pending, ready: false, at: 3), owned("unscheduled", .pending, ready: false, scheduled: false, at: 0)]
        let decision = ReplicaPlanner.decide(replicas: 2, pods: pods)
        XCTAssertEqual(decision.delete, ["unscheduled", "pending", "unready"])
        XCTAssertEqual(decision.create, 0)
        XCTAssertEqual(decision.status.readyReplicas, 2)
    }

    func testEndedPodsAreDeletedAndReplaced() {
        let decision = ReplicaPlanner.decide(replicas: 2, pods: [owned("a"), owned("lost", .failed, ready: false)])
        XCTAssertEqual(decision.create, 1)
        XCTAssertEqual(decision.delete, ["lost"])
        XCTAssertEqual(decision.status.replicas, 1)
    }
}

final class EndpointsBuilderTests: XCTestCase {
    func testReadyAndNotReadyAddressesWithResolvedPorts() {
        let ports = [EndpointsBuilder.ServicePort(name: "http", port: 80, target: .name("web"))]
        let pods = [
            EndpointsBuilder.Pod(name: "b", uid: "2", ip: "10.88.1.10", ready: true, namedPorts: ["web": 8080]),
            EndpointsBuilder.Pod(name: "a", uid: "1", ip: "10.88.1.9", ready: true, namedPorts: ["web": 8080]),
            EndpointsBuilder.Pod(name: "c", uid: "3", ip: "10.88.2.2", ready: false, namedPorts: ["web": 8080]),
            EndpointsBuilder.Pod(name: "noip", uid: "4", ip: nil, ready: false, namedPorts: ["web": 8080]),
            EndpointsBuilder.Pod(name: "other", uid: "5", ip: "10.88.2.3", ready: true, namedPorts: ["web": 9090]),
            EndpointsBuilder.Pod(name: "noport", uid: "6", ip: "10.88.2.4", ready: true),
            EndpointsBuilder.Pod(name: "done", uid: "7", ip: "10.88.2.5", ready: false, terminal: true, namedPorts: ["web": 8080]),
        ]
        let subsets = EndpointsBuilder.subsets(ports: ports, pods: pods)
        XCTAssertEqual(subsets.count, 2)
        XCTAssertEqual(subsets[0].addresses.map(\.ip), ["10.88.1.9", "10.88.1.10"])
        XCTAssertEqual(subsets[0].notReadyAddresses.map(\.podName), ["c"])
        XCTAssertEqual(subsets[0].ports.map(\.port), [8080])
        XCTAssertEqual(subsets[1].addresses.map(\.podName), ["other"])
        XCTAssertEqual(subsets[1].ports.map(\.port), [9090])
    }
}
