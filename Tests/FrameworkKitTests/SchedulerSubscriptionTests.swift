import FairwayCore
import FairwayHTTP
import FairwayProto
@testable import FrameworkKit
import FairwayTesting
import XCTest

final class SchedulerSubscriptionTests: XCTestCase {
    func testProtobufEventsArriveInOrderAcrossOddChunkBoundaries() async throws {
        try await checkEventOrder(format: .protobuf)
    }

    func testJSONEventsArriveInOrderAcrossOddChunkBoundaries() async throws {
        try await checkEventOrder(format: .json)
    }

    private func checkEventOrder(format: MessageFormat) async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master, format: format))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.summaries == ["subscribed:fw-1"] }

        let subscribeFound = await master.state.calls(of: .subscribe).first

        let subscribe = try XCTUnwrap(subscribeFound)
        XCTAssertEqual(subscribe.contentType, format.contentType)
        XCTAssertEqual(subscribe.accept, format.contentType)
        XCTAssertNil(subscribe.streamID, "SUBSCRIBE must not carry a stream id")
        XCTAssertEqual(subscribe.call.subscribe.frameworkInfo.name, "sdk-test")
        XCTAssertFalse(subscribe.call.subscribe.frameworkInfo.hasID)

        // Records split at odd byte boundaries...
        await master.state.send([
            FakeEvents.offers(["o1", "o2"]), FakeEvents.heartbeat, FakeEvents.offers(["o3"]),
            FakeEvents.rescind("o1"), FakeEvents.update("t1", .taskRunning),
        ], chunkSizes: [1, 2, 3, 5, 7, 11, 13])
        // ...and several records in one chunk.
        await master.state.send([FakeEvents.heartbeat, FakeEvents.rescind("o2"), FakeEvents.offers(["o4"])])
        await master.state.send([FakeEvents.update("t1", .taskFinished), FakeEvents.heartbeat], chunkSizes: [64])

        let expected = [
            "subscribed:fw-1", "offers:o1,o2", "heartbeat", "offers:o3", "rescind:o1", "update:t1:TASK_RUNNING",
            "heartbeat", "rescind:o2", "offers:o4", "update:t1:TASK_FINISHED", "heartbeat",
        ]
        try await waitUntil("all events") { await recorder.summaries.count >= expected.count }
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries, expected)

        await scheduler.stop()
        await master.shutdown()
    }

    func testEventsFromALaxMasterAreStillDelivered() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master, format: .json))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        // An offer without its required framework_id and hostname, and a field from the future.
        await master.state.sendRaw([
            #"{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o9"},"agent_id":{"value":"a"}}]},"future":1}"#,
            #"{"type":"HEARTBEAT"}"#,
        ])
        try await waitUntil("both events") { await recorder.summaries.count == 3 }
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries, ["subscribed:fw-1", "offers:o9", "heartbeat"])
        let subscribes = await master.state.subscribeCount
        XCTAssertEqual(subscribes, 1, "no reconnection over a lax event")
        await scheduler.stop()
        await master.shutdown()
    }

    func testReconnectsAsFailoverWhenTheStreamCloses() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        let firstStreamFound = await master.state.latest?.streamID
        let firstStream = try XCTUnwrap(firstStreamFound)

        await master.state.closeLatestStream()
        try await waitUntil("re-subscription") { await recorder.count("subscribed") == 2 }

        let summaries = await recorder.summaries
        XCTAssertEqual(summaries, ["subscribed:fw-1", "disconnected", "subscribed:fw-1"])
        let subscribes = await master.state.calls(of: .subscribe)
        XCTAssertEqual(subscribes.count, 2)
        let again = subscribes[1]
        XCTAssertEqual(again.call.subscribe.frameworkInfo.id.value, "fw-1", "the re-subscription must fail over to the same framework")
        XCTAssertEqual(again.call.frameworkID.value, "fw-1", "framework_id must equal framework_info.id")
        XCTAssertNil(again.streamID)

        // Calls now use the new subscription's stream id.
        try await scheduler.revive()
        let secondStreamFound = await master.state.latest?.streamID
        let secondStream = try XCTUnwrap(secondStreamFound)
        XCTAssertNotEqual(firstStream, secondStream)
        let reviveFound = await master.state.calls(of: .revive).last
        let revive = try XCTUnwrap(reviveFound)
        XCTAssertEqual(revive.streamID, secondStream)
        let frameworkID = await scheduler.frameworkID
        XCTAssertEqual(frameworkID?.value, "fw-1")

        await scheduler.stop()
        await master.shutdown()
    }

    func testSilentMasterIsReplacedAfterFiveHeartbeatIntervals() async throws {
        let master = try await FakeMaster.start(heartbeatInterval: 0.05)
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        // The fake never sends a heartbeat after SUBSCRIBED: the watchdog must give up on the stream.
        try await waitUntil("a second subscription") { await master.state.subscribeCount >= 2 }
        try await waitUntil("the disconnection to be reported") { await recorder.count("disconnected") >= 1 }
        let againFound = await master.state.calls(of: .subscribe).dropFirst().first
        let again = try XCTUnwrap(againFound)
        XCTAssertEqual(again.call.frameworkID.value, "fw-1")

        await scheduler.stop()
        await master.shutdown()
    }

    func testReconnectsWhenTheMasterComesBackOnTheSamePort() async throws {
        let first = try await FakeMaster.start()
        let port = first.server.port
        let scheduler = Scheduler(configuration: testConfiguration(first))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }

        // The master dies: the stream breaks and nothing listens on the port any more.
        await first.shutdown()
        try await waitUntil("the disconnection to be reported") { await recorder.count("disconnected") == 1 }

        let restarted = try await FakeMaster.start(port: port)
        try await waitUntil("re-subscription to the restarted master") { await recorder.count("subscribed") == 2 }
        let resubscribeFound = await restarted.state.calls(of: .subscribe).first
        let resubscribe = try XCTUnwrap(resubscribeFound)
        XCTAssertEqual(resubscribe.call.subscribe.frameworkInfo.id.value, "fw-1")
        let disconnections = await recorder.count("disconnected")
        XCTAssertEqual(disconnections, 1, "one outage is reported once, however many attempts it takes")

        await scheduler.stop()
        await restarted.shutdown()
    }

    func testFollowsRedirectToTheLeaderAndRetriesUnavailable() async throws {
        let leader = try await FakeMaster.start()
        let standby = try await FakeMaster.start()
        await standby.state.script(subscribe: [
            HTTPResponse(status: .temporaryRedirect, headers: ["Location": "//\(leader.address)/api/v1/scheduler"]),
        ])
        await leader.state.script(subscribe: [.text(.serviceUnavailable, "No leader elected")])
        let scheduler = Scheduler(configuration: testConfiguration(standby))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED from the leader") { await recorder.count("subscribed") == 1 }

        let current = await scheduler.currentMaster
        XCTAssertEqual(current, leader.address)
        let leaderSubscribes = await leader.state.subscribeCount
        XCTAssertEqual(leaderSubscribes, 2, "503 then a successful retry")
        try await scheduler.suppress()
        let suppress = await leader.state.calls(of: .suppress).count
        XCTAssertEqual(suppress, 1, "calls go to the leader")

        await scheduler.stop()
        await leader.shutdown()
        await standby.shutdown()
    }

    func testErrorEventEndsTheSubscriptionWithoutReconnecting() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }

        await master.state.send([FakeEvents.error("Framework failed over")])
        try await waitUntil("the event sequence to end") { await recorder.finished }
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries, ["subscribed:fw-1", "error:Framework failed over"])
        let subscribes = await master.state.subscribeCount
        XCTAssertEqual(subscribes, 1)
        do {
            try await scheduler.revive()
            XCTFail("calls after the end must fail")
        } catch let error as SchedulerCallError {
            XCTAssertEqual(error.status, 0)
        }
        await master.shutdown()
    }

    func testRefusedSubscriptionIsReportedAsAnError() async throws {
        let master = try await FakeMaster.start()
        await master.state.script(subscribe: [.text(.badRequest, "Failed to validate scheduler::Call: bad role")])
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("the event sequence to end") { await recorder.finished }
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries.count, 1)
        XCTAssertTrue(summaries.first?.contains("bad role") ?? false, "\(summaries)")
        await master.shutdown()
    }

    func testStopClosesTheSubscriptionWithoutTearingDown() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }

        await scheduler.stop()
        try await waitUntil("the master to see the stream close") { await master.state.openSubscriptions == 0 }
        try await waitUntil("the event sequence to end") { await recorder.finished }
        let teardowns = await master.state.calls(of: .teardown).count
        XCTAssertEqual(teardowns, 0)
        let subscribes = await master.state.subscribeCount
        XCTAssertEqual(subscribes, 1)
        await master.shutdown()
    }

    func testTeardownRemovesTheFrameworkAndEndsEvents() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }

        try await scheduler.teardown()
        try await waitUntil("the event sequence to end") { await recorder.finished }
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries, ["subscribed:fw-1"], "the master's 'framework removed' after TEARDOWN is expected, not an error")
        let teardownFound = await master.state.calls(of: .teardown).first
        let teardown = try XCTUnwrap(teardownFound)
        XCTAssertEqual(teardown.call.frameworkID.value, "fw-1")
        let subscribes = await master.state.subscribeCount
        XCTAssertEqual(subscribes, 1)
        await master.shutdown()
    }

    func testFailoverToAConfiguredFrameworkID() async throws {
        let master = try await FakeMaster.start()
        var configuration = testConfiguration(master, format: .json)
        configuration.frameworkInfo.id.value = "fw-existing"
        let scheduler = Scheduler(configuration: configuration)
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.summaries == ["subscribed:fw-existing"] }
        let subscribeFound = await master.state.calls(of: .subscribe).first
        let subscribe = try XCTUnwrap(subscribeFound)
        XCTAssertEqual(subscribe.call.frameworkID.value, "fw-existing")
        XCTAssertEqual(subscribe.call.subscribe.frameworkInfo.id.value, "fw-existing")
        await scheduler.stop()
        await master.shutdown()
    }
}
