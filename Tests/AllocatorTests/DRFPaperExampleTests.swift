import Allocator
import FairwayCore
import XCTest

/// The worked example of the DRF paper (Ghodsi et al., NSDI 2011): a cluster of <9 CPU, 18 GB>,
/// framework A runs tasks of <1 CPU, 4 GB>, framework B tasks of <3 CPU, 1 GB>. DRF must end with
/// A running 3 tasks and B running 2, both at a dominant share of 2/3.
///
/// Approach: the whole cluster is one agent, and each framework behaves like the paper's users in
/// progressive filling. Every pass offers the agent's free resources to the single framework
/// furthest below its share (Mesos gives the whole agent to one framework). That framework launches
/// exactly one task if the task fits — its resources stay allocated — and returns the rest with
/// `refuseSeconds` 0, so no filter distorts the next pass. The loop ends at the first pass in which
/// nothing is launched (the lowest framework's next task no longer fits), as in the paper.
final class DRFPaperExampleTests: XCTestCase {
    private let taskOfA = res("cpus:1;mem:4096")
    private let taskOfB = res("cpus:3;mem:1024")

    func testPaperExampleEndsWithThreeTasksOfAAndTwoOfBAtEqualShares() {
        let result = runProgressiveFilling(a: "A", b: "B")
        XCTAssertEqual(result.tasks["A"], 3)
        XCTAssertEqual(result.tasks["B"], 2)
        XCTAssertEqual(result.allocator.allocated(frameworkID: "A"), res("cpus:3;mem:12288"))
        XCTAssertEqual(result.allocator.allocated(frameworkID: "B"), res("cpus:6;mem:2048"))
        XCTAssertEqual(result.allocator.dominantShare(of: "A"), 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(result.allocator.dominantShare(of: "B"), 2.0 / 3.0, accuracy: 1e-9)
    }

    /// Same outcome when the tie at the start is broken the other way (B's id sorts first).
    func testOutcomeDoesNotDependOnWhoIsServedFirst() {
        let result = runProgressiveFilling(a: "z-memory-heavy", b: "a-cpu-heavy")
        XCTAssertEqual(result.tasks["z-memory-heavy"], 3)
        XCTAssertEqual(result.tasks["a-cpu-heavy"], 2)
        XCTAssertEqual(result.allocator.dominantShare(of: "z-memory-heavy"), 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(result.allocator.dominantShare(of: "a-cpu-heavy"), 2.0 / 3.0, accuracy: 1e-9)
    }

    private func runProgressiveFilling(a: String, b: String) -> (allocator: DRFAllocator, tasks: [String: Int]) {
        var allocator = DRFAllocator()
        allocator.addAgent("agent", total: res("cpus:9;mem:18432"))
        allocator.addFramework(a, roles: ["*"])
        allocator.addFramework(b, roles: ["*"])
        let taskShape = [a: taskOfA, b: taskOfB]
        var tasks = [a: 0, b: 0]

        var now = 0.0
        for _ in 0..<50 {
            now += 1
            let offers = allocator.allocate(now: now)
            XCTAssertLessThanOrEqual(offers.count, 1, "one agent is offered to one framework at a time")
            var launched = false
            for offer in offers {
                guard let task = taskShape[offer.frameworkID] else { XCTFail("offer to unknown \(offer.frameworkID)"); continue }
                var unused = offer.resources
                if offer.resources.contains(task) {
                    tasks[offer.frameworkID, default: 0] += 1
                    unused -= task
                    launched = true
                }
                allocator.recover(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                                  resources: unused, refuseSeconds: 0, now: now)
            }
            if !launched { break }
        }
        return (allocator, tasks)
    }
}
