import FairwayCore
import FairwayHTTP
import FairwayProto
import FairwayTesting
import Foundation
import XCTest

/// The DRF paper's example through the real master and agent: a <9 CPU, 18 GB> cluster, framework
/// A with tasks of <1 CPU, 4 GB>, framework B with tasks of <3 CPU, 1 GB>, both declaring ten
/// pending tasks. DRF ends with A running 3 tasks and B 2, and the fairness view reports both at a
/// dominant share of 2/3, which is also their ideal share.
final class DRFPaperClusterTests: XCTestCase {
    func testPaperExampleEndsAtThreeAndTwoTasksWithEqualSharesOfTwoThirds() async throws {
        let cluster = try ProcessCluster(logLevel: "info")
        defer { cluster.shutdown() }
        try await cluster.startMaster()

        let long = "sleep 600"
        let frameworkA = TaskRunner(master: cluster.master, name: "A", commands: (0..<10).map { ("a-\($0)", long) },
                                    cpus: 1, mem: 4096, declareDemand: true)
        let frameworkB = TaskRunner(master: cluster.master, name: "B", commands: (0..<10).map { ("b-\($0)", long) },
                                    cpus: 3, mem: 1024, declareDemand: true)
        frameworkA.start()
        frameworkB.start()
        defer { Task { await frameworkA.stop(); await frameworkB.stop() } }

        // Both must have declared their tasks before the cluster has anything to offer: a framework
        // alone on an empty cluster would rightly take more than its share, and DRF does not preempt.
        let master = cluster.master
        try await waitUntil("both frameworks declared ten tasks and take offers", timeout: 30) {
            let report = try await Self.fairness(master)
            return report.frameworks.filter { $0.demandTasks == 10 && $0.state == .active }.count == 2
        }
        try await cluster.startAgent(index: 1, resources: "cpus:9;mem:18432")

        try await waitUntil("A runs 3 tasks and B 2", timeout: 60) { running(frameworkA) == 3 && running(frameworkB) == 2 }

        let idA = try XCTUnwrap(frameworkA.frameworkID)
        let idB = try XCTUnwrap(frameworkB.frameworkID)
        try await waitUntil("the fairness view shows both frameworks", timeout: 15) {
            let report = try await Self.fairness(master)
            return report.frameworks.filter { [idA, idB].contains($0.frameworkID.value) && $0.dominantShare > 0.6 }.count == 2
        }
        let report = try await Self.fairness(master)
        for id in [idA, idB] {
            let entry = try XCTUnwrap(report.frameworks.first { $0.frameworkID.value == id })
            XCTAssertEqual(entry.dominantShare, 2.0 / 3.0, accuracy: 1e-6, "\(entry.name)")
            XCTAssertEqual(entry.idealShare, 2.0 / 3.0, accuracy: 1e-6, "\(entry.name)")
            XCTAssertTrue(entry.unmetDemand, "\(entry.name) still has 7 or 8 tasks pending")
        }
        XCTAssertEqual(report.frameworks.first { $0.frameworkID.value == idA }?.dominantResource, "mem")
        XCTAssertEqual(report.frameworks.first { $0.frameworkID.value == idB }?.dominantResource, "cpus")
        // Nothing else fits: still 3 and 2 a moment later (no task of either fits in <0 CPU, 4 GB>).
        XCTAssertEqual(running(frameworkA), 3)
        XCTAssertEqual(running(frameworkB), 2)
    }

    private static func fairness(_ master: String) async throws -> Fairway_V1_FairnessReport {
        let result = try await HTTPCalls.get("http://\(master)/fairness", timeout: .seconds(5))
        guard result.status == .ok else { throw ClusterError("GET /fairness answered \(result.status): \(result.text)") }
        return try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: result.body).report
    }
}

private func running(_ runner: TaskRunner) -> Int {
    runner.updates.values.filter { $0.last?.state == .taskRunning }.count
}
