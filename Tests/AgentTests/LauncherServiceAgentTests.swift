@testable import Agent
import FairwayProto
import Foundation
import XCTest

/// The agent with its launcher service: exit statuses across an agent restart, a service that
/// dies, and one service per agent.
final class LauncherServiceAgentTests: AgentTestCase {
    override func setUp() async throws {
        try await super.setUp()
        guard Self.launchMethod == .service else { throw XCTSkip("FAIRWAY_TEST_LAUNCH selects another launcher") }
    }

    func testTasksThatEndedWhileTheAgentWasDownReportTheirRealExitStatus() async throws {
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: true)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster)
        try await registered(first)
        let waitThenExit = { (code: Int) in "while [ ! -e go ]; do sleep 0.01; done; exit \(code)" }
        firstMaster.send(Events.run(Events.task("good", shell: waitThenExit(0)), Events.task("bad", shell: waitThenExit(7))))
        try await eventually("both tasks to run") {
            firstMaster.states(for: "good") == [.taskRunning] && firstMaster.states(for: "bad") == [.taskRunning] ? true : nil
        }
        var pids: [Int32] = []
        var sandboxes: [String] = []
        for id in ["good", "bad"] {
            let task = await first.state.task(TaskKey(frameworkID: "fw-1", taskID: id))
            pids.append(try XCTUnwrap(task?.pid))
            sandboxes.append(try XCTUnwrap(task?.sandbox))
        }
        await first.shutdown()  // the tasks and the service keep running

        for sandbox in sandboxes { _ = FileManager.default.createFile(atPath: sandbox + "/go", contents: nil) }
        try await eventually("both tasks to end while no agent runs") { pids.contains(where: Self.isAlive) ? nil : true }

        let secondMaster = FakeMaster(autoAcknowledge: true)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster)
        try await registered(second)
        let good = try await terminalUpdate("good", on: secondMaster)
        let bad = try await terminalUpdate("bad", on: secondMaster)

        XCTAssertEqual(good.status.state, .taskFinished, good.status.message)
        XCTAssertEqual(bad.status.state, .taskFailed)
        XCTAssertEqual(bad.status.message, "Command exited with status 7")
        XCTAssertEqual(bad.status.source, .executor)
        XCTAssertNotEqual(bad.status.reason, .agentRestarted)
    }

    func testServiceThatDiesIsRestartedAndItsRunningTasksAreStillWatched() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        master.send(Events.run(Events.task("survivor", shell: "sleep 300")))
        try await eventually("the task to run") { master.states(for: "survivor") == [.taskRunning] ? true : nil }
        let pidFound = await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "survivor"))?.pid
        let pid = try XCTUnwrap(pidFound)
        let firstServiceFound = await agent.runtime?.service?.servicePid
        let firstService = try XCTUnwrap(firstServiceFound)

        kill(firstService, SIGKILL)
        let secondService = try await eventually("a new launcher service") { () -> Int32? in
            let current = await agent.runtime?.service?.servicePid
            return current != nil && current != firstService ? current : nil
        }
        XCTAssertTrue(Self.isAlive(pid), "the task outlives its launcher service")
        XCTAssertTrue(Self.isAlive(secondService))

        // New tasks run through the new service.
        master.send(Events.run(Events.task("after", shell: "echo after")))
        let after = try await terminalUpdate("after", on: master)
        XCTAssertEqual(after.status.state, .taskFinished, after.status.message)

        // The orphaned task's end is still noticed; its status is lost with its parent.
        kill(pid, SIGTERM)
        let ended = try await terminalUpdate("survivor", on: master)
        XCTAssertEqual(ended.status.state, .taskFailed)
        XCTAssertEqual(ended.status.reason, .executorTerminated)
        XCTAssertTrue(ended.status.message.contains("launcher service"), ended.status.message)
    }

    func testTwoAgentsInOneProcessHaveTheirOwnServices() async throws {
        let masters = [FakeMaster(autoAcknowledge: true), FakeMaster(autoAcknowledge: true)]
        let directories = [try temporaryDirectory(), try temporaryDirectory()]
        var agents: [AgentService] = []
        for index in 0..<2 {
            let agent = try await makeAgent(workDirectory: directories[index], master: masters[index])
            try await registered(agent)
            agents.append(agent)
            masters[index].send(Events.run(Events.task("t", shell: "echo agent \(index)")))
        }
        for index in 0..<2 {
            let finished = try await terminalUpdate("t", on: masters[index])
            XCTAssertEqual(finished.status.state, .taskFinished)
            let sandbox = try await completedTask("t", on: agents[index]).sandbox
            XCTAssertEqual(contents(sandbox + "/stdout"), "agent \(index)\n")
        }
        let first = await agents[0].runtime?.service?.servicePid
        let second = await agents[1].runtime?.service?.servicePid
        XCTAssertNotNil(first)
        XCTAssertNotNil(second)
        XCTAssertNotEqual(first, second)
        for directory in directories {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + LauncherService.socketName))
        }
    }

    func testKillWhileTheTaskIsBeingStartedKillsItsProcess() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        // The kill is handled right after the launch, before the service's STARTED can arrive.
        master.send(Events.run(Events.task("early", shell: "sleep 300")))
        master.send(Events.kill("early"))
        let killed = try await terminalUpdate("early", on: master)
        XCTAssertEqual(killed.status.state, .taskKilled)
        try await eventually("no process left for the task") { await agent.runtime?.runningCount == 0 ? true : nil }
    }

    func testASecondAgentOnTheSameWorkDirIsRefusedByTheService() async throws {
        let directory = try temporaryDirectory()
        let first = try await makeAgent(workDirectory: directory, master: FakeMaster(autoAcknowledge: true))
        try await registered(first)

        do {
            _ = try await makeAgent(workDirectory: directory, master: FakeMaster(autoAcknowledge: true))
            XCTFail("a second agent on the same work dir started")
        } catch {
            XCTAssertTrue("\(error)".contains("two agents cannot share a work dir"), "\(error)")
        }
        let stillConnected = await first.runtime?.service?.isConnected
        XCTAssertEqual(stillConnected, true, "the first agent keeps its service")
    }
}
