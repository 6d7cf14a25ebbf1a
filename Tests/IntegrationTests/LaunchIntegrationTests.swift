import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import FairwayTesting
import XCTest

final class LaunchIntegrationTests: XCTestCase {
    func testTwentyTasksAcrossTwoAgentsFinishWithTheirOutput() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:1024")
        try await cluster.startAgent(index: 2, resources: "cpus:1;mem:1024")

        let ids = (0..<20).map { "task-\($0)" }
        let runner = TaskRunner(master: cluster.master, name: "twenty", commands: ids.map { ($0, "echo output of $MESOS_TASK_ID") },
                                cpus: 0.2, mem: 64)
        runner.start()
        try await waitUntil("all 20 tasks are terminal", timeout: 60) { runner.allTerminal(ids) }

        for id in ids {
            XCTAssertEqual(runner.latestState(of: id), .taskFinished, "\(id): \(runner.updates[id]?.map(\.message) ?? [])")
            XCTAssertEqual(runner.updates[id]?.map(\.state).first, .taskRunning, "\(id) reports RUNNING before it finishes")
        }
        XCTAssertEqual(runner.agentsUsed.count, 2, "tasks ran on both agents")
        let outputs = try sandboxOutputs(cluster.root)
        for id in ids {
            XCTAssertEqual(outputs[id], "output of \(id)\n", "stdout of \(id)")
        }
    }

    func testJSONAndProtobufFrameworksShareTheCluster() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:2;mem:1024")

        let jsonIDs = (0..<3).map { "json-\($0)" }
        let protoIDs = (0..<3).map { "proto-\($0)" }
        let json = TaskRunner(master: cluster.master, name: "json", commands: jsonIDs.map { ($0, "true") }, format: .json)
        let proto = TaskRunner(master: cluster.master, name: "proto", commands: protoIDs.map { ($0, "true") }, format: .protobuf)
        json.start()
        proto.start()
        try await waitUntil("both frameworks' tasks finish", timeout: 60) {
            json.allTerminal(jsonIDs) && proto.allTerminal(protoIDs)
        }
        XCTAssertTrue((jsonIDs.map(json.latestState) + protoIDs.map(proto.latestState)).allSatisfy { $0 == .taskFinished })
        let frameworks = try await cluster.masterState()["frameworks"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(frameworks.compactMap { $0["name"] as? String }), ["json", "proto"])
    }

    /// stdout of every task sandbox under the cluster's work dirs, by task id (the directory name).
    private func sandboxOutputs(_ root: URL) throws -> [String: String] {
        var outputs: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.lastPathComponent == "stdout" else { continue }
            let taskID = url.deletingLastPathComponent().lastPathComponent
            outputs[taskID] = try String(contentsOf: url, encoding: .utf8)
        }
        return outputs
    }
}
