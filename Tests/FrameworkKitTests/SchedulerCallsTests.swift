import FairwayCore
import FairwayHTTP
import FairwayProto
@testable import FrameworkKit
import FairwayTesting
import XCTest

final class SchedulerCallsTests: XCTestCase {
    func testProtobufCallsCarryStreamIDAndFrameworkID() async throws {
        try await checkCalls(format: .protobuf)
    }

    func testJSONCallsCarryStreamIDAndFrameworkID() async throws {
        try await checkCalls(format: .json)
    }

    private func checkCalls(format: MessageFormat) async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master, format: format))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        let streamIDFound = await master.state.latest?.streamID
        let streamID = try XCTUnwrap(streamIDFound)

        let offer = FakeEvents.offer("o1")
        let task = Fairway_V1_TaskInfo.command(id: "t1", agentID: offer.agentID, command: "echo hi",
                                               resources: Resources(scalars: ["cpus": 0.1, "mem": 32]))
        try await scheduler.launch(offer, tasks: [task], refuseSeconds: 2)
        try await scheduler.decline([FakeEvents.offer("o2").id], refuseSeconds: 1)
        try await scheduler.kill(task.taskID, agentID: offer.agentID)
        try await scheduler.reconcile([])
        try await scheduler.reconcile([(task.taskID, nil)])
        try await scheduler.revive(roles: ["a"])
        try await scheduler.suppress()
        var request = Fairway_V1_Request()
        request.resources = Resources(scalars: ["cpus": 1]).proto()
        try await scheduler.request([request])
        var executor = Fairway_V1_ExecutorInfo()
        executor.executorID.value = "e1"
        try await scheduler.launchGroup(offer, executor: executor, tasks: [task])

        let calls = await master.state.calls.filter { $0.call.type != .subscribe }
        XCTAssertEqual(calls.map(\.call.type), [.accept, .decline, .kill, .reconcile, .reconcile, .revive, .suppress, .request, .accept])
        for call in calls {
            XCTAssertEqual(call.streamID, streamID, "\(call.call.type) must carry Mesos-Stream-Id")
            XCTAssertEqual(call.call.frameworkID.value, "fw-1", "\(call.call.type) must carry framework_id")
            XCTAssertEqual(call.contentType, format.contentType)
        }
        let accept = calls[0].call.accept
        XCTAssertEqual(accept.offerIds.map(\.value), ["o1"])
        XCTAssertEqual(accept.operations.map(\.type), [.launch])
        XCTAssertEqual(accept.operations[0].launch.taskInfos.first?.command.value, "echo hi")
        XCTAssertEqual(accept.operations[0].launch.taskInfos.first?.agentID.value, "agent-1")
        XCTAssertEqual(accept.filters.refuseSeconds, 2)
        XCTAssertEqual(calls[1].call.decline.offerIds.map(\.value), ["o2"])
        XCTAssertEqual(calls[1].call.decline.filters.refuseSeconds, 1)
        XCTAssertEqual(calls[2].call.kill.agentID.value, "agent-1")
        XCTAssertTrue(calls[3].call.hasReconcile)
        XCTAssertTrue(calls[3].call.reconcile.tasks.isEmpty, "an empty list means implicit reconciliation")
        XCTAssertEqual(calls[4].call.reconcile.tasks.map(\.taskID.value), ["t1"])
        XCTAssertFalse(calls[4].call.reconcile.tasks[0].hasAgentID)
        XCTAssertEqual(calls[5].call.revive.roles, ["a"])
        XCTAssertTrue(calls[6].call.hasSuppress)
        XCTAssertEqual(calls[7].call.request.requests.count, 1)
        let group = calls[8].call.accept.operations[0]
        XCTAssertEqual(group.type, .launchGroup)
        XCTAssertEqual(group.launchGroup.executor.frameworkID.value, "fw-1", "the SDK fills the executor's framework id")
        XCTAssertEqual(group.launchGroup.taskGroup.tasks.count, 1)

        await scheduler.stop()
        await master.shutdown()
    }

    func testImplicitAcknowledgementsOnlyForUpdatesWithUUID() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master, format: .json))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        let streamIDFound = await master.state.latest?.streamID
        let streamID = try XCTUnwrap(streamIDFound)

        await master.state.send([
            FakeEvents.update("from-master", .taskLost),
            FakeEvents.update("t1", .taskRunning, uuid: [1, 2, 3]),
            FakeEvents.update("reconciled", .taskRunning),
            FakeEvents.update("t2", .taskFinished, uuid: [4, 5, 6]),
        ])
        try await waitUntil("two acknowledgements") { await master.state.calls(of: .acknowledge).count >= 2 }
        // A later call round-trip; acknowledgements for the earlier updates were queued before it.
        try await scheduler.reconcile([])
        let acks = await master.state.calls(of: .acknowledge)
        XCTAssertEqual(Set(acks.map(\.call.acknowledge.taskID.value)), ["t1", "t2"])
        for ack in acks {
            XCTAssertEqual(ack.streamID, streamID)
            XCTAssertEqual(ack.call.frameworkID.value, "fw-1")
            XCTAssertEqual(ack.call.acknowledge.agentID.value, "agent-1")
        }
        XCTAssertEqual(acks.first { $0.call.acknowledge.taskID.value == "t1" }?.call.acknowledge.uuid, Data([1, 2, 3]))
        let summaries = await recorder.summaries
        XCTAssertEqual(summaries.filter { $0.hasPrefix("update") }.count, 4, "every update is delivered")

        await scheduler.stop()
        await master.shutdown()
    }

    func testManyAcknowledgementsAreAllSent() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        let updates = (0..<300).map { FakeEvents.update("t\($0)", .taskFinished, uuid: [UInt8($0 % 256), 1]) }
        await master.state.send(updates)
        try await waitUntil("300 acknowledgements") { await master.state.calls(of: .acknowledge).count == 300 }
        let acknowledged = Set(await master.state.calls(of: .acknowledge).map(\.call.acknowledge.taskID.value))
        XCTAssertEqual(acknowledged.count, 300)
        await scheduler.stop()
        await master.shutdown()
    }

    func testNoImplicitAcknowledgementsWhenDisabled() async throws {
        let master = try await FakeMaster.start()
        var configuration = testConfiguration(master)
        configuration.implicitAcknowledgements = false
        let scheduler = Scheduler(configuration: configuration)
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        await master.state.send([FakeEvents.update("t1", .taskRunning, uuid: [9])])
        try await waitUntil("the update") { await recorder.count("update") == 1 }
        try await scheduler.revive()
        let implicit = await master.state.calls(of: .acknowledge).count
        XCTAssertEqual(implicit, 0)

        var status = Fairway_V1_TaskStatus()
        status.taskID.value = "t1"
        status.agentID.value = "agent-1"
        status.uuid = Data([9])
        try await scheduler.acknowledge(status)
        let explicit = await master.state.calls(of: .acknowledge).count
        XCTAssertEqual(explicit, 1)
        await scheduler.stop()
        await master.shutdown()
    }

    func testRejectedCallSurfacesStatusAndMessage() async throws {
        let master = try await FakeMaster.start()
        await master.state.script(.decline, reply: .text(.badRequest, "Framework cannot be found"))
        let scheduler = Scheduler(configuration: testConfiguration(master))
        let recorder = EventRecorder.recording(scheduler)
        scheduler.start()
        try await waitUntil("SUBSCRIBED") { await recorder.count("subscribed") == 1 }
        do {
            try await scheduler.decline([FakeEvents.offer("o1").id])
            XCTFail("a 400 must throw")
        } catch let error as SchedulerCallError {
            XCTAssertEqual(error.status, 400)
            XCTAssertEqual(error.message, "Framework cannot be found")
            XCTAssertEqual(error.call, .decline)
            XCTAssertTrue(error.description.contains("Framework cannot be found"))
        }
        await scheduler.stop()
        await master.shutdown()
    }

    func testCallsBeforeSubscriptionFailClearly() async throws {
        let master = try await FakeMaster.start()
        let scheduler = Scheduler(configuration: testConfiguration(master))
        do {
            try await scheduler.revive()
            XCTFail("not subscribed yet")
        } catch let error as SchedulerCallError {
            XCTAssertEqual(error.status, 0)
            XCTAssertTrue(error.message.contains("not subscribed"), error.message)
        }
        await scheduler.stop()
        await master.shutdown()
    }
}
