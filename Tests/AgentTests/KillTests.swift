@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class KillTests: AgentTestCase {
    func testTaskThatExitsOnSIGTERMIsKilled() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("sleeper", shell: "sleep 300")))
        try await eventually("the task to run") { master.states(for: "sleeper").contains(.taskRunning) ? true : nil }
        master.send(Events.kill("sleeper", gracePeriod: 60))
        let killed = try await terminalUpdate("sleeper", on: master)

        XCTAssertEqual(killed.status.state, .taskKilled)
        XCTAssertTrue(killed.status.message.contains("SIGTERM"), "died of the SIGTERM, no escalation: \(killed.status.message)")
    }

    func testTaskThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("stubborn", shell: "trap '' TERM; echo ready; sleep 300", gracePeriod: 0.3)))
        // Running as far as the agent knows (else the kill is one "before it started"), trap set.
        try await eventually("the trap to be set") { () -> Bool? in
            guard master.states(for: "stubborn").contains(.taskRunning) else { return nil }
            let sandbox = await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "stubborn"))?.sandbox
            return sandbox.flatMap { contents($0 + "/stdout") } == "ready\n" ? true : nil
        }
        master.send(Events.kill("stubborn"))
        let killed = try await terminalUpdate("stubborn", on: master)

        XCTAssertEqual(killed.status.state, .taskKilled)
        XCTAssertTrue(killed.status.message.contains("SIGKILL"), "SIGTERM was ignored, SIGKILL ended it: \(killed.status.message)")
    }

    func testKillReachesTheWholeProcessGroup() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.run(Events.task("family", shell: "sleep 300 & echo $! > child.pid; wait")))
        let childFile = try await eventually("the child's pid file") { () -> String? in
            guard let sandbox = await agent.state.task(TaskKey(frameworkID: "fw-1", taskID: "family"))?.sandbox,
                  let text = contents(sandbox + "/child.pid"), text.hasSuffix("\n") else { return nil }
            return text
        }
        let child = try XCTUnwrap(Int32(childFile.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(Self.isAlive(child))

        master.send(Events.kill("family", gracePeriod: 10))
        let killed = try await terminalUpdate("family", on: master)
        XCTAssertEqual(killed.status.state, .taskKilled)
        try await eventually("the task's child to die") { Self.isAlive(child) ? nil : true }
    }

    func testFrameworkWithKillingCapabilityGetsTaskKilling() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        let framework = Events.framework(capabilities: [.taskKillingState])
        master.send(Events.run(Events.task("polite", shell: "sleep 300"), framework: framework))
        try await eventually("the task to run") { master.states(for: "polite").contains(.taskRunning) ? true : nil }
        master.send(Events.kill("polite"))
        _ = try await terminalUpdate("polite", on: master)

        XCTAssertEqual(master.states(for: "polite"), [.taskRunning, .taskKilling, .taskKilled])
    }

    func testKillOfUnknownTaskReportsItLost() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)

        master.send(Events.kill("ghost"))
        let lost = try await terminalUpdate("ghost", on: master)
        XCTAssertEqual(lost.status.state, .taskLost)
        XCTAssertEqual(lost.status.source, .agent)
    }
}
