@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class RecoveryTests: AgentTestCase {
    func testRestartedAgentRecoversItsIdTasksAndUnacknowledgedUpdates() async throws {
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: false)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster)
        try await registered(first)

        firstMaster.send(Events.run(Events.task("long", shell: "sleep 300"), Events.task("short", shell: "echo done")))
        try await eventually("both tasks to report") {
            firstMaster.states(for: "long") == [.taskRunning] && firstMaster.states(for: "short") == [.taskRunning] ? true : nil
        }
        // Nothing is acknowledged: "short" has RUNNING outstanding and FINISHED queued behind it.
        try await eventually("the short task to finish") {
            await first.state.task(TaskKey(frameworkID: "fw-1", taskID: "short"))?.state == .taskFinished ? true : nil
        }
        let longPidFound = await first.state.task(TaskKey(frameworkID: "fw-1", taskID: "long"))?.pid
        let longPid = try XCTUnwrap(longPidFound)
        let sentBefore = firstMaster.updates
        await first.shutdown()  // tasks keep running
        XCTAssertTrue(Self.isAlive(longPid), "stopping the agent leaves its tasks running")

        let secondMaster = FakeMaster(autoAcknowledge: false)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster)
        try await registered(second)

        let register = try XCTUnwrap(secondMaster.registrations.first)
        XCTAssertEqual(register.register.agentInfo.id.value, "agent-1", "the agent id survives the restart")
        XCTAssertEqual(register.register.lastMasterID, "master-1")
        let reported = Dictionary(uniqueKeysWithValues: register.register.frameworks.flatMap(\.tasks).map { ($0.taskID.value, $0.state) })
        XCTAssertEqual(reported, ["long": .taskRunning, "short": .taskFinished])
        XCTAssertEqual(register.register.frameworks.first?.frameworkInfo.name, "test framework")

        // The outstanding heads come again, same uuids.
        try await eventually("the unacknowledged updates to be resent") { secondMaster.updates.count >= 2 ? true : nil }
        let resent = Set(secondMaster.updates.map(\.status.uuid))
        XCTAssertEqual(resent, Set(sentBefore.map(\.status.uuid)))
        let shortRunning = try XCTUnwrap(secondMaster.updates(for: "short").first)
        XCTAssertEqual(shortRunning.status.state, .taskRunning)
        XCTAssertEqual(shortRunning.latestState, .taskFinished, "latest_state tells the master where the task is now")

        // Acknowledging releases the queued FINISHED.
        secondMaster.acknowledge(shortRunning)
        let finished = try await terminalUpdate("short", on: secondMaster)
        XCTAssertEqual(finished.status.state, .taskFinished)

        // The adopted task can still be killed (its RUNNING acknowledged first, through a resend).
        secondMaster.setAutoAcknowledge(true)
        secondMaster.send(Events.simple(.resendUpdates))
        secondMaster.send(Events.kill("long", gracePeriod: 5))
        let killed = try await terminalUpdate("long", on: secondMaster)
        XCTAssertEqual(killed.status.state, .taskKilled)
    }

    func testTaskThatEndedUnseenWhileTheAgentWasDownIsReportedFailed() async throws {
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: true)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster)
        try await registered(first)
        firstMaster.send(Events.run(Events.task("brief", shell: "sleep 300")))
        try await eventually("the task to run") { firstMaster.states(for: "brief") == [.taskRunning] ? true : nil }
        let pidFound = await first.state.task(TaskKey(frameworkID: "fw-1", taskID: "brief"))?.pid
        let pid = try XCTUnwrap(pidFound)
        let servicePid = await first.runtime?.service?.servicePid
        await first.shutdown()
        // Nobody saw it end: the launcher service (which would have) is gone too.
        if let servicePid {
            kill(servicePid, SIGKILL)
            try await eventually("the launcher service to die") { LauncherServiceClient.reapIfOurs(servicePid) ? true : nil }
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)  // reaped here, as init would after a real agent crash

        let secondMaster = FakeMaster(autoAcknowledge: true)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster)
        try await registered(second)
        let failed = try await terminalUpdate("brief", on: secondMaster)
        XCTAssertEqual(failed.status.state, .taskFailed)
        XCTAssertEqual(failed.status.reason, .agentRestarted)
        XCTAssertTrue(failed.status.message.contains("unknown"), failed.status.message)
    }
}
