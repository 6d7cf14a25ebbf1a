import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import NIOHTTP1
import FairwayTesting
import XCTest

/// Malformed and invalid requests get Mesos's 4xx answers with a message, and the master keeps serving.
final class BadInputIntegrationTests: XCTestCase {
    func testMalformedCallsAreRejectedAndTheMasterKeepsServing() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        let url = "http://\(cluster.master)/api/v1/scheduler"

        var call = Fairway_V1_Scheduler_Call()
        call.type = .subscribe
        call.subscribe.frameworkInfo.user = "root"
        call.subscribe.frameworkInfo.name = "bad-input"
        let bytes: [UInt8] = try call.serializedBytes()

        let truncated = try await HTTPCalls.post(url, body: Array(bytes.dropLast(3)), headers: ["Content-Type": "application/x-protobuf"])
        XCTAssertEqual(truncated.status, .badRequest)
        XCTAssertFalse(truncated.text.isEmpty, "a 400 says what is wrong")

        let invalidJSON = try await HTTPCalls.post(url, body: Array("{\"type\": ".utf8), headers: ["Content-Type": "application/json"])
        XCTAssertEqual(invalidJSON.status, .badRequest)
        XCTAssertTrue(invalidJSON.text.contains("Failed to parse"), invalidJSON.text)

        let wrongType = try await HTTPCalls.post(url, body: bytes, headers: ["Content-Type": "text/plain"])
        XCTAssertEqual(wrongType.status, .unsupportedMediaType)

        let missingRequired = try await HTTPCalls.post(url, body: Array(#"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"x"}}}"#.utf8),
                                                       headers: ["Content-Type": "application/json"])
        XCTAssertEqual(missingRequired.status, .badRequest)
        XCTAssertTrue(missingRequired.text.contains("missing required"), missingRequired.text)

        let unknownFramework = try await HTTPCalls.post(url, body: Array(#"{"type":"DECLINE","framework_id":{"value":"nope"},"decline":{"offer_ids":[]}}"#.utf8),
                                                        headers: ["Content-Type": "application/json", "Mesos-Stream-Id": "x"])
        XCTAssertEqual(unknownFramework.status, .badRequest)

        let health = try await HTTPCalls.get("http://\(cluster.master)/health")
        XCTAssertEqual(health.status, .ok, "the master still serves after bad input")
    }

    func testStreamIDChecksAndInvalidAccepts() async throws {
        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:512")
        let runner = TaskRunner(master: cluster.master, name: "probe", commands: [])
        runner.start()
        try await waitUntil("the framework subscribes", timeout: 30) { runner.frameworkID != nil }
        let frameworkID = try XCTUnwrap(runner.frameworkID)
        let url = "http://\(cluster.master)/api/v1/scheduler"
        let revive = Array(#"{"type":"REVIVE","framework_id":{"value":"\#(frameworkID)"}}"#.utf8)

        let noStream = try await HTTPCalls.post(url, body: revive, headers: ["Content-Type": "application/json"])
        XCTAssertEqual(noStream.status, .badRequest)
        XCTAssertTrue(noStream.text.contains("Mesos-Stream-Id"), noStream.text)

        let wrongStream = try await HTTPCalls.post(url, body: revive, headers: ["Content-Type": "application/json", "Mesos-Stream-Id": "not-mine"])
        XCTAssertEqual(wrongStream.status, .badRequest)
        XCTAssertTrue(wrongStream.text.contains("didn't match"), wrongStream.text)

        // ACCEPT of an unknown offer: 202, then TASK_LOST for the task (the framework is not partition-aware).
        var agentID = Fairway_V1_AgentID()
        agentID.value = "whatever"
        var badOffer = Fairway_V1_OfferID()
        badOffer.value = "no-such-offer"
        var operation = Fairway_V1_Offer.Operation()
        operation.type = .launch
        operation.launch.taskInfos = [.command(id: "ghost", agentID: agentID, command: "true", resources: Resources(scalars: ["cpus": 0.1]))]
        try await runner.scheduler.accept([badOffer], operations: [operation])
        try await waitUntil("the ghost task is reported lost", timeout: 30) { runner.latestState(of: "ghost") == .taskLost }
        XCTAssertTrue(runner.updates["ghost"]?.last?.message.contains("no-such-offer") == true)

        let health = try await HTTPCalls.get("http://\(cluster.master)/health")
        XCTAssertEqual(health.status, .ok)
    }
}
