@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class EventHandlingTests: AgentTestCase {
    func testAcknowledgementOfTheHeadReleasesTheNextUpdateAndAWrongOneDoesNot() async throws {
        let master = FakeMaster(autoAcknowledge: false)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("quick", shell: "true")))
        let running = try await eventually("RUNNING") { master.updates(for: "quick").first }
        try await eventually("the task to finish") {
            await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "quick"))?.state == .taskFinished ? true : nil
        }
        XCTAssertEqual(master.updates(for: "quick").count, 1, "FINISHED waits for RUNNING's acknowledgement")

        master.send(Events.acknowledge(frameworkID: "fw-1", taskID: "quick", uuid: Data(repeating: 1, count: 16)))
        master.send(Events.simple(.heartbeat))  // processed after the ack
        try await eventually("the bad ack to be processed") { await agent.queue.count == 2 ? true : nil }
        XCTAssertEqual(master.updates(for: "quick").count, 1)

        master.acknowledge(running)
        let finished = try await terminalUpdate("quick", on: master)
        master.acknowledge(finished)
        try await eventually("the task to be completed") {
            await agent.state.completedTask(TaskKey(frameworkID: "fw-1", taskID: "quick")) != nil ? true : nil
        }
        let queueIsEmpty = await agent.queue.isEmpty
        XCTAssertTrue(queueIsEmpty)
    }

    func testResendUpdatesSendsTheOutstandingHeadAgain() async throws {
        let master = FakeMaster(autoAcknowledge: false)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("waiting", shell: "sleep 300")))
        let running = try await eventually("RUNNING") { master.updates(for: "waiting").first }
        master.send(Events.simple(.resendUpdates))
        try await eventually("the resend") { master.updates(for: "waiting").count == 2 ? true : nil }
        XCTAssertEqual(master.updates(for: "waiting")[1].status.uuid, running.status.uuid)
    }

    func testBrokenStreamMakesTheAgentReregisterWithItsTasks() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        master.send(Events.run(Events.task("survivor", shell: "sleep 300")))
        try await eventually("RUNNING") { master.states(for: "survivor") == [.taskRunning] ? true : nil }

        master.refuseNextRegistration(status: 503, message: "not the leader yet")
        master.dropStream()
        try await eventually("the agent to come back") { master.registrations.count >= 3 && master.isConnected ? true : nil }

        let again = try XCTUnwrap(master.registrations.last)
        XCTAssertEqual(again.register.agentInfo.id.value, "agent-1")
        XCTAssertEqual(again.register.frameworks.flatMap(\.tasks).map(\.taskID.value), ["survivor"])
        XCTAssertEqual(again.register.frameworks.flatMap(\.tasks).first?.state, .taskRunning)
        let registrations = await agent.registrationCount
        XCTAssertEqual(registrations, 2)
    }

    func testShutdownKillsEverythingAndRegistersAsANewAgent() async throws {
        let master = FakeMaster(autoAcknowledge: false)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        master.send(Events.run(Events.task("doomed", shell: "sleep 300")))
        try await eventually("RUNNING") { master.states(for: "doomed") == [.taskRunning] ? true : nil }
        let pidFound = await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "doomed"))?.pid
        let pid = try XCTUnwrap(pidFound)

        var shutdown = Events.simple(.shutdown)
        shutdown.shutdown.message = "agent removed"
        master.send(shutdown)
        try await eventually("a registration without id") {
            master.registrations.count == 2 && master.isConnected ? true : nil
        }
        XCTAssertFalse(master.registrations[1].register.agentInfo.hasID)
        XCTAssertTrue(master.registrations[1].register.frameworks.isEmpty)
        try await eventually("the task to die") { Self.isAlive(pid) ? nil : true }
        try await eventually("the new id") { await agent.agentID == "agent-2" ? true : nil }
        let pending = await agent.queue.count
        XCTAssertEqual(pending, 0, "the old agent's updates are forgotten")
    }

    func testShutdownFrameworkKillsItsTasksWithoutUpdates() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        master.send(Events.run(Events.task("a", shell: "sleep 300")))
        try await eventually("RUNNING") { master.states(for: "a") == [.taskRunning] ? true : nil }
        let pidFound = await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "a"))?.pid
        let pid = try XCTUnwrap(pidFound)

        var event = Events.simple(.shutdownFramework)
        event.shutdownFramework.frameworkID.value = "fw-1"
        master.send(event)
        try await eventually("the task to die") { Self.isAlive(pid) ? nil : true }
        try await eventually("the framework to be completed") { await agent.state.completedFrameworks == ["fw-1"] ? true : nil }
        XCTAssertEqual(master.states(for: "a"), [.taskRunning])
    }
}
