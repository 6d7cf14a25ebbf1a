import FairwayTesting
import Foundation
import XCTest

/// The inspection commands against a real cluster, run as a person or a script would.
final class CLIIntegrationTests: XCTestCase {
    func testInspectionCommandsShowTheClusterAndTaskOutput() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:512", extra: ["--attributes", "rack:r1"])
        let runner = TaskRunner(master: cluster.master, name: "cli-test",
                                commands: [("talker", "echo line one; echo line two; echo oops >&2")])
        runner.start()
        try await waitUntil("the task finishes", timeout: 30) { runner.allTerminal(["talker"]) }

        let agents = try run(cluster, ["agents"])
        XCTAssertEqual(agents.status, 0)
        XCTAssertTrue(agents.output.hasPrefix("ID"), agents.output)
        XCTAssertTrue(agents.output.contains("rack"), agents.output)
        XCTAssertTrue(agents.output.contains("HOSTNAME") && agents.output.contains("ADDRESS") && agents.output.contains("127.0.0.1:"),
                      agents.output)

        let tasks = try run(cluster, ["tasks", "--all", "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(tasks.output.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.compactMap { $0["id"] as? String }, ["talker"])
        XCTAssertEqual(parsed?.first?["state"] as? String, "TASK_FINISHED")

        let frameworks = try run(cluster, ["frameworks"])
        XCTAssertTrue(frameworks.output.contains("cli-test"), frameworks.output)

        let stdout = try run(cluster, ["logs", "talker"])
        XCTAssertEqual(stdout.output, "line one\nline two\n")
        let stderr = try run(cluster, ["logs", "talker", "--stderr"])
        XCTAssertEqual(stderr.output, "oops\n")
        let tail = try run(cluster, ["logs", "talker", "--tail", "1"])
        XCTAssertEqual(tail.output, "line two\n")

        let missing = try run(cluster, ["logs", "no-such-task"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.errors.contains("no-such-task"), missing.errors)

        let unreachable = try run(cluster, ["agents"], master: "127.0.0.1:1")
        XCTAssertNotEqual(unreachable.status, 0)
        XCTAssertTrue(unreachable.errors.contains("cannot reach the master"), unreachable.errors)
    }

    private func run(_ cluster: ProcessCluster, _ arguments: [String], master: String? = nil) throws -> (status: Int32, output: String, errors: String) {
        try cluster.runFairway(arguments + ["--master", master ?? cluster.master])
    }
}
