@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class TaskRunTests: AgentTestCase {
    func testShellTaskRunsInItsSandboxWithOutputFilesAndEnvironment() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("hello", shell: "echo out-$GREETING; echo err >&2; pwd; env | grep ^MESOS_ | sort",
                                           environment: ["GREETING": "hi"])))
        let finished = try await terminalUpdate("hello", on: master)

        XCTAssertEqual(finished.status.state, .taskFinished, finished.status.message)
        XCTAssertEqual(master.states(for: "hello"), [.taskRunning, .taskFinished])
        let running = try XCTUnwrap(master.updates(for: "hello").first)
        XCTAssertEqual(running.status.source, .executor)
        XCTAssertEqual(running.status.uuid.count, 16)
        XCTAssertGreaterThan(running.status.containerStatus.executorPid, 0)
        XCTAssertEqual(running.status.executorID.value, "hello")
        XCTAssertEqual(running.status.agentID.value, "agent-1")
        XCTAssertGreaterThan(finished.status.timestamp, 1_600_000_000)

        let sandboxFound: String? = try await completedTask("hello", on: agent).sandbox

        let sandbox = try XCTUnwrap(sandboxFound)
        XCTAssertTrue(sandbox.hasSuffix("/sandboxes/fw-1/hello"), sandbox)
        let stdout = try XCTUnwrap(contents(sandbox + "/stdout"))
        XCTAssertTrue(stdout.hasPrefix("out-hi\n\(sandbox)\n"), stdout)
        for line in ["MESOS_AGENT_ID=agent-1", "MESOS_DIRECTORY=\(sandbox)", "MESOS_EXECUTOR_ID=hello",
                     "MESOS_FRAMEWORK_ID=fw-1", "MESOS_SANDBOX=\(sandbox)", "MESOS_TASK_ID=hello"] {
            XCTAssertTrue(stdout.contains(line + "\n"), "missing \(line) in\n\(stdout)")
        }
        XCTAssertEqual(contents(sandbox + "/stderr"), "err\n")
    }

    func testArgvTaskRunsProgramFromPathWithItsArguments() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("argv", program: "printf", arguments: ["printf", "%s|%s", "a b", "$HOME"])))
        let finished = try await terminalUpdate("argv", on: master)

        XCTAssertEqual(finished.status.state, .taskFinished, finished.status.message)
        let sandboxFound: String? = try await completedTask("argv", on: agent).sandbox
        let sandbox = try XCTUnwrap(sandboxFound)
        XCTAssertEqual(contents(sandbox + "/stdout"), "a b|$HOME", "no shell: arguments are passed as they are")
    }

    func testExitStatusesMapToFinishedAndFailed() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("ok", shell: "true"), Events.task("bad", shell: "exit 3"),
                               Events.task("segv", shell: "kill -SEGV $$"),
                               Events.task("loud", shell: "echo starting >&2; echo 'frob: no such file' >&2; echo >&2; exit 4")))
        let ok = try await terminalUpdate("ok", on: master)
        let bad = try await terminalUpdate("bad", on: master)
        let segv = try await terminalUpdate("segv", on: master)

        XCTAssertEqual(ok.status.state, .taskFinished)
        XCTAssertEqual(bad.status.state, .taskFailed)
        XCTAssertEqual(bad.status.message, "Command exited with status 3")
        XCTAssertEqual(bad.status.source, .executor)
        XCTAssertEqual(segv.status.state, .taskFailed)
        XCTAssertTrue(segv.status.message.contains("SIGSEGV"), segv.status.message)
        // A failure quotes the last line the task wrote to stderr.
        let loud = try await terminalUpdate("loud", on: master)
        XCTAssertEqual(loud.status.message, "Command exited with status 4: frob: no such file")
    }

    func testProgramThatCannotBeExecutedIsALaunchFailure() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("missing", program: "/nonexistent/program", arguments: ["program"])))
        let failed = try await terminalUpdate("missing", on: master)

        XCTAssertEqual(failed.status.state, .taskFailed)
        XCTAssertEqual(failed.status.reason, .containerLaunchFailed)
        XCTAssertEqual(failed.status.source, .agent)
        XCTAssertTrue(failed.status.message.contains("/nonexistent/program"), failed.status.message)
    }

    func testTaskWithoutCommandIsAnError() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("empty")))
        let error = try await terminalUpdate("empty", on: master)

        XCTAssertEqual(error.status.state, .taskError)
        XCTAssertEqual(error.status.reason, .taskInvalid)
        XCTAssertTrue(error.status.message.contains("no value"), error.status.message)
    }

    func testSameTaskIDTwiceGetsTwoSandboxes() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("again", shell: "echo first")))
        _ = try await terminalUpdate("again", on: master)
        try await eventually("the first run to be acknowledged") {
            await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "again")) == nil ? true : nil
        }
        master.send(Events.run(Events.task("again", shell: "echo second")))
        try await eventually("the second run to finish") { master.states(for: "again").count == 4 ? true : nil }

        let runs = await agent.state.completed.filter { $0.key.taskID == "again" }.map(\.sandbox)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { contents($0 + "/stdout") }, ["first\n", "second\n"])
        XCTAssertTrue(runs[1].hasSuffix("again.1"), runs[1])
    }

    func testTaskGroupMembersRunInSandboxesUnderTheExecutor() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.runGroup(executorID: "pod-1", [Events.task("web", shell: "echo web $MESOS_EXECUTOR_ID"),
                                                          Events.task("side", shell: "echo side")]))
        let web = try await terminalUpdate("web", on: master)
        let side = try await terminalUpdate("side", on: master)

        XCTAssertEqual(web.status.state, .taskFinished)
        XCTAssertEqual(side.status.state, .taskFinished)
        XCTAssertEqual(web.status.executorID.value, "pod-1")
        let sandboxFound: String? = try await completedTask("web", on: agent).sandbox
        let sandbox = try XCTUnwrap(sandboxFound)
        XCTAssertTrue(sandbox.hasSuffix("/sandboxes/fw-1/pod-1/web"), sandbox)
        XCTAssertEqual(contents(sandbox + "/stdout"), "web pod-1\n")
    }
}
