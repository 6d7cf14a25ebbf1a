import FairwayCore
import FairwayProto
import Foundation
import FairwayTesting
import XCTest

final class MasterFailoverIntegrationTests: XCTestCase {
    /// `kill -9` of the master while tasks run: after a restart the agent re-registers with its
    /// tasks, the framework re-subscribes with its id, and the tasks' remaining updates arrive.
    func testKill9OfMasterLosesNoTask() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:2;mem:1024")

        let release = cluster.root.appendingPathComponent("release")
        let ids = (0..<4).map { "long-\($0)" }
        let runner = TaskRunner(master: cluster.master, name: "survivor",
                                commands: ids.map { ($0, "while [ ! -e \(release.path) ]; do sleep 0.05; done; echo finished") })
        runner.start()
        try await waitUntil("all tasks run", timeout: 60) { ids.allSatisfy { runner.latestState(of: $0) == .taskRunning } }
        let frameworkID = try XCTUnwrap(runner.frameworkID)

        cluster.killMaster(signal: SIGKILL)
        try await cluster.startMaster()
        try await waitUntil("the framework re-subscribes", timeout: 60) { runner.subscriptions >= 2 }
        XCTAssertEqual(runner.frameworkID, frameworkID, "the framework keeps its id across the master restart")

        try await waitUntil("the restarted master knows the running tasks", timeout: 30) {
            let frameworks = (try? await cluster.masterState())?["frameworks"] as? [[String: Any]] ?? []
            let tasks = frameworks.first { ($0["id"] as? String) == frameworkID }?["tasks"] as? [[String: Any]] ?? []
            return Set(tasks.compactMap { $0["id"] as? String }) == Set(ids)
                && tasks.allSatisfy { ($0["state"] as? String) == "TASK_RUNNING" }
        }

        FileManager.default.createFile(atPath: release.path, contents: Data())
        try await waitUntil("the tasks finish after the failover", timeout: 60) { runner.allTerminal(ids) }
        for id in ids { XCTAssertEqual(runner.latestState(of: id), .taskFinished) }
        let finishedCount = ids.map { id in runner.updates[id]?.filter { $0.state == .taskFinished }.count ?? 0 }
        XCTAssertTrue(finishedCount.allSatisfy { $0 >= 1 }, "every task's TASK_FINISHED arrived")
    }
}
