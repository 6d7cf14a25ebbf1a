import PodCore
import XCTest

final class LargePassTests: XCTestCase {
    /// Benchmark-sized pass (5,000 agents, 10,000 pods in 20 shapes): everything that fits is
    /// placed and replicas of each controller end up spread within one of each other.
    func testFiveThousandAgentsTakeTenThousandPods() {
        let offers = (0..<5000).map { offer(String(format: "agent-%05d", $0), cpus: 8, mem: 16384) }
        var pending: [PodRequest] = []
        pending.reserveCapacity(10000)
        for index in 0..<10000 {
            let shape = index % 20
            pending.append(pod("p\(index)", cpus: 0.5 + Double(shape % 4) * 0.25, mem: 256, rc: "rc/default/app\(shape)", at: Double(index)))
        }
        var placer = PodPlacer()
        let result = placer.place(pending: pending, offers: offers, now: 0)
        XCTAssertEqual(result.assignments.count, 10000)
        XCTAssertTrue(result.unplaced.isEmpty)
        let perAgent = placer.state.replicasByAgent(of: "rc/default/app0")
        XCTAssertLessThanOrEqual((perAgent.values.max() ?? 0) - (perAgent.values.min() ?? 0), 1)
    }
}
