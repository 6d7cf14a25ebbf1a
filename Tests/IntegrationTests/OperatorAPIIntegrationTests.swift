import FairwayCore
import FairwayHTTP
import FairwayProto
import FairwayTesting
import Foundation
import NIOHTTP1
import XCTest

/// The operator API (`POST /api/v1`) in both encodings, and the v0 state a person reads.
final class OperatorAPIIntegrationTests: XCTestCase {
    func testGetStateInProtobufAndJSONShowsAgentsFrameworksAndTasks() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:512")
        let runner = TaskRunner(master: cluster.master, name: "inspected", commands: [("seen", "true")])
        runner.start()
        try await waitUntil("the task finishes", timeout: 30) { runner.allTerminal(["seen"]) }

        var call = Fairway_V1_Master_Call()
        call.type = .getState
        let url = "http://\(cluster.master)/api/v1"
        let protobuf = try await HTTPCalls.post(url, body: try call.serializedBytes(),
                                                headers: ["Content-Type": "application/x-protobuf", "Accept": "application/x-protobuf"])
        XCTAssertEqual(protobuf.status, .ok, protobuf.text)
        let response = try Fairway_V1_Master_Response(serializedBytes: protobuf.body)
        XCTAssertEqual(response.type, .getState)
        XCTAssertEqual(response.getState.getAgents.agents.count, 1)
        XCTAssertEqual(response.getState.getFrameworks.frameworks.map(\.frameworkInfo.name), ["inspected"])
        let allTasks = response.getState.getTasks.tasks + response.getState.getTasks.completedTasks
        XCTAssertEqual(allTasks.map(\.taskID.value), ["seen"])

        let json = try await HTTPCalls.post(url + "/operator", body: Array(#"{"type":"GET_AGENTS"}"#.utf8),
                                            headers: ["Content-Type": "application/json"])
        XCTAssertEqual(json.status, .ok, json.text)
        XCTAssertTrue(json.text.contains(#""type":"GET_AGENTS""#), json.text)
        XCTAssertTrue(json.text.contains(#""hostname":"127.0.0.1""#), json.text)

        let health = try await HTTPCalls.post(url, body: Array(#"{"type":"GET_HEALTH"}"#.utf8), headers: ["Content-Type": "application/json"])
        XCTAssertTrue(health.text.contains(#""healthy":true"#), health.text)

        let version = try await HTTPCalls.get("http://\(cluster.master)/version")
        let object = try JSONSerialization.jsonObject(with: Data(version.body)) as? [String: Any]
        let number = try XCTUnwrap(object?["version"] as? String)
        XCTAssertTrue(number.split(separator: ".").allSatisfy { Int($0) != nil }, "pymesos needs a purely numeric version: \(number)")

        let unsupported = try await HTTPCalls.post(url, body: Array(#"{"type":"GET_STATE"}"#.utf8),
                                                   headers: ["Content-Type": "application/json", "Accept": "text/html"])
        XCTAssertEqual(unsupported.status, .notAcceptable)
    }

    func testInvalidResourcesInATaskGetTaskError() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:512")
        // A framework that receives one offer and launches two bad tasks on it.
        let runner = TaskRunner(master: cluster.master, name: "greedy", commands: [], holdUnusedOffers: true)
        let offers = OfferTap(runner: runner)
        runner.start()
        let offer = try await offers.next()
        var negative = Fairway_V1_Resource()
        negative.name = "cpus"
        negative.type = .scalar
        negative.scalar.value = -1
        var negativeTask = Fairway_V1_TaskInfo.command(id: "negative", agentID: offer.agentID, command: "true", resources: Resources())
        negativeTask.resources = [negative]
        let hugeTask = Fairway_V1_TaskInfo.command(id: "huge", agentID: offer.agentID, command: "true",
                                                   resources: Resources(scalars: ["cpus": 64, "mem": 32]))
        try await runner.scheduler.launch(offer, tasks: [negativeTask, hugeTask])
        try await waitUntil("both tasks are answered", timeout: 30) { runner.allTerminal(["negative", "huge"]) }
        XCTAssertEqual(runner.latestState(of: "negative"), .taskError)
        XCTAssertTrue(runner.updates["negative"]?.last?.message.contains("invalid scalar") == true,
                      runner.updates["negative"]?.last?.message ?? "")
        XCTAssertEqual(runner.latestState(of: "huge"), .taskError)
        XCTAssertTrue(runner.updates["huge"]?.last?.message.contains("more resources") == true)
    }
}

/// Waits for the first offer a TaskRunner with nothing to launch receives.
struct OfferTap {
    let runner: TaskRunner

    func next() async throws -> Fairway_V1_Offer {
        try await waitUntil("an offer arrives", timeout: 30) { runner.lastOffer != nil }
        guard let offer = runner.lastOffer else { throw ClusterError("no offer") }
        return offer
    }
}
