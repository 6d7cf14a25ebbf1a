import FairwayCore
import FairwayHTTP
import FairwayProto
import FairwayTesting
import Foundation
import NIOHTTP1
import XCTest

/// Weights, quotas, the fairness view and the metrics through the real binaries: set over HTTP,
/// kept across a master restart, and visible while a framework holds resources.
final class FairnessIntegrationTests: XCTestCase {
    private static func operatorCall(_ cluster: ProcessCluster, _ json: String) async throws -> HTTPCallResult {
        try await HTTPCalls.post("http://\(cluster.master)/api/v1", body: Array(json.utf8),
                                 headers: ["Content-Type": "application/json", "Accept": "application/json"])
    }

    private static func fairness(_ cluster: ProcessCluster, query: String = "") async throws -> Fairway_V1_Master_Response.GetFairness {
        let result = try await HTTPCalls.get("http://\(cluster.master)/fairness\(query)", timeout: .seconds(5))
        guard result.status == .ok else { throw ClusterError("GET /fairness\(query) answered \(result.status): \(result.text)") }
        return try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: result.body)
    }

    func testQuotaAndWeightsSurviveARestartAndFairnessAndMetricsShowAHoldingFramework() async throws {
        let cluster = try ProcessCluster(masterArguments: ["--weights", "eng=2,ops=0.5", "--offer-timeout", "60",
                                                           "--fairness-sample-interval", "0.2s"])
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:2;mem:2048")

        let weights = try await Self.operatorCall(cluster, #"{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":3}]}}"#)
        XCTAssertEqual(weights.status, .ok, weights.text)
        let quota = try await Self.operatorCall(cluster, #"""
            {"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"eng","guarantees":{"cpus":{"value":1}},"limits":{"cpus":{"value":2}}}]}}
            """#)
        XCTAssertEqual(quota.status, .ok, quota.text)
        XCTAssertEqual(quota.body, [], "an empty 200, as Mesos answers")
        let tooMuch = try await Self.operatorCall(cluster, #"""
            {"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"ops","guarantees":{"cpus":{"value":5}}}]}}
            """#)
        XCTAssertEqual(tooMuch.status, .conflict, tooMuch.text)
        XCTAssertTrue(tooMuch.text.contains("cpus"), tooMuch.text)
        let invalid = try await Self.operatorCall(cluster, #"""
            {"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"ops","guarantees":{"cpus":{"value":2}},"limits":{"cpus":{"value":1}}}]}}
            """#)
        XCTAssertEqual(invalid.status, .badRequest, invalid.text)
        XCTAssertTrue(invalid.text.contains("'ops'"), invalid.text)

        // A framework holding one task until released.
        let release = cluster.root.appendingPathComponent("release")
        let runner = TaskRunner(master: cluster.master, name: "holder",
                                commands: [("hold", "while [ ! -e \(release.path) ]; do sleep 0.05; done")], cpus: 1, mem: 512)
        runner.start()
        defer { FileManager.default.createFile(atPath: release.path, contents: Data()) }
        try await waitUntil("the task runs", timeout: 60) { runner.latestState(of: "hold") == .taskRunning }
        let frameworkID = try XCTUnwrap(runner.frameworkID)

        try await waitUntil("/fairness shows the framework holding its task", timeout: 30) {
            let report = try await Self.fairness(cluster).report
            guard let entry = report.frameworks.first(where: { $0.frameworkID.value == frameworkID }) else { return false }
            return entry.name == "holder" && entry.allocated.contains { $0.name == "cpus" && $0.value == 1 }
                && entry.dominantShare >= 0.5 && entry.state == .active
        }
        let report = try await Self.fairness(cluster).report
        XCTAssertEqual(report.cluster.total.first { $0.name == "cpus" }?.value, 2)
        XCTAssertEqual(report.cluster.agents, 1)
        XCTAssertTrue(report.roles.contains { $0.role == "eng" && $0.quotaGuarantee.first?.value == 1 && $0.weight == 3 })

        let metrics = try await HTTPCalls.get("http://\(cluster.master)/metrics", timeout: .seconds(5))
        XCTAssertEqual(metrics.status, .ok)
        XCTAssertTrue(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        XCTAssertTrue(metrics.text.contains(#"fairway_framework_allocated{framework_id="\#(frameworkID)",resource="cpus"} 1"#), metrics.text)
        XCTAssertTrue(metrics.text.contains(#"fairway_framework_dominant_share{framework_id="\#(frameworkID)",name="holder",role="*"}"#))
        XCTAssertTrue(metrics.text.contains("fairway_agents 1"))
        XCTAssertTrue(metrics.text.contains("# TYPE fairway_allocation_duration_seconds histogram"))
        let runs = metrics.text.split(separator: "\n").first { $0.hasPrefix("fairway_allocation_runs_total ") }
        XCTAssertGreaterThan(Double(runs?.split(separator: " ").last ?? "") ?? 0, 0)

        try await waitUntil("the history has samples with the framework", timeout: 30) {
            let samples = try await Self.fairness(cluster, query: "?since=10m").history.samples
            return samples.contains { $0.shares.contains { $0.frameworkID == frameworkID && $0.dominantShare > 0 } }
        }
        // The command line: the table names the framework; the chart is XML with one series per framework.
        let table = try cluster.runFairway(["fairness", "--master", cluster.master])
        XCTAssertEqual(table.status, 0, table.errors)
        XCTAssertTrue(table.output.contains("holder"), table.output)
        let chart = cluster.root.appendingPathComponent("shares.svg")
        let drawn = try cluster.runFairway(["fairness", "--master", cluster.master, "--since", "10m", "--svg", chart.path])
        XCTAssertEqual(drawn.status, 0, drawn.errors)
        let svg = try SVGDocument(String(contentsOf: chart, encoding: .utf8))
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.seriesFrameworks, [frameworkID], "one series per framework")

        let bad = try await HTTPCalls.get("http://\(cluster.master)/fairness?since=yesterday", timeout: .seconds(5))
        XCTAssertEqual(bad.status, .badRequest, bad.text)

        cluster.killMaster(signal: SIGKILL)
        try await cluster.startMaster()

        let weightsAfter = try await Self.operatorCall(cluster, #"{"type":"GET_WEIGHTS"}"#)
        let weightInfos = try MesosJSON.decode(Fairway_V1_Master_Response.self, from: weightsAfter.body).getWeights.weightInfos
        XCTAssertEqual(weightInfos.first { $0.role == "eng" }?.weight, 3, "UPDATE_WEIGHTS outlives the restart and beats --weights")
        XCTAssertEqual(weightInfos.first { $0.role == "ops" }?.weight, 0.5, "--weights applies where nothing was set")
        let quotaAfter = try await Self.operatorCall(cluster, #"{"type":"GET_QUOTA"}"#)
        let configs = try MesosJSON.decode(Fairway_V1_Master_Response.self, from: quotaAfter.body).getQuota.status.configs
        XCTAssertEqual(configs.map(\.role), ["eng"])
        XCTAssertEqual(configs.first?.guarantees["cpus"]?.value, 1)
        XCTAssertEqual(configs.first?.limits["cpus"]?.value, 2)
        let roles = try await Self.operatorCall(cluster, #"{"type":"GET_ROLES"}"#)
        XCTAssertTrue(try MesosJSON.decode(Fairway_V1_Master_Response.self, from: roles.body).getRoles.roles.contains { $0.name == "eng" })
        let history = try await Self.fairness(cluster, query: "?since=10m").history.samples
        XCTAssertTrue(history.contains { $0.shares.contains { $0.frameworkID == frameworkID } }, "the history outlives the restart")
        await runner.stop()
    }
}
