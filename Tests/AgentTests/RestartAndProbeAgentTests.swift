@testable import Agent
import FairwayProto
import Foundation
import XCTest

/// Restart policies and probes on a real agent (host network: no root needed).
final class RestartAndProbeAgentTests: AgentTestCase {
    private func agent(_ master: FakeMaster) async throws -> (AgentService, String) {
        let work = try temporaryDirectory()
        try PodEvents.server.write(toFile: work + "/server.py", atomically: true, encoding: .utf8)
        let agent = try await makeAgent(workDirectory: work, master: master) { $0.podNetwork = PodNetworkOptions(mode: .off) }
        try await registered(agent)
        return (agent, work)
    }

    /// Distinct updates of a task (resends removed).
    private func distinct(_ taskID: String, _ master: FakeMaster) -> [Fairway_Internal_StatusUpdate] {
        var seen = Set<Data>()
        return master.updates(for: taskID).filter { seen.insert($0.status.uuid).inserted }
    }

    func testAlwaysRestartsAProcessThatExitsZeroAndAKillEndsIt() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, _) = try await agent(master)
        master.send(Events.run(PodEvents.container("always", ["/bin/sh", "-c", "echo run"], policy: "Always")))

        let second = try await eventually("a second restart") {
            self.distinct("always", master).first { $0.label("fairway.pod/restarts") == "2" }
        }
        XCTAssertEqual(second.status.state, .taskRunning)
        XCTAssertEqual(second.label("fairway.pod/last-exit-code"), "0")
        let backoffs = distinct("always", master).map(\.status.message).filter { $0.hasPrefix("Back-off") }
        XCTAssertEqual(backoffs.first, "Back-off 1s restarting failed container always: Command exited with status 0")
        XCTAssertTrue(backoffs.dropFirst().first?.hasPrefix("Back-off 2s") ?? false, "\(backoffs)")
        XCTAssertFalse(distinct("always", master).contains { $0.status.state.isTerminal }, "restarting keeps the task RUNNING")

        master.send(Events.kill("always", gracePeriod: 0))
        let killed = try await terminalUpdate("always", on: master)
        XCTAssertEqual(killed.status.state, .taskKilled, killed.status.message)
        let states = distinct("always", master).map(\.status.state)
        XCTAssertEqual(states.last, .taskKilled, "a killed task is not restarted: \(states)")
    }

    func testOnFailureRestartsAFailureAndStopsAfterSuccess() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, _) = try await agent(master)
        // Fails on its first run, succeeds on the second (the sandbox is kept across restarts).
        master.send(Events.run(PodEvents.container("flaky", ["/bin/sh", "-c", "[ -f ran ] && exit 0; touch ran; exit 4"],
                                                   policy: "OnFailure")))
        let finished = try await terminalUpdate("flaky", on: master)
        XCTAssertEqual(finished.status.state, .taskFinished, finished.status.message)
        XCTAssertEqual(finished.label("fairway.pod/exit-code"), "0")
        XCTAssertEqual(finished.label("fairway.pod/restarts"), "1")
        let restart = try XCTUnwrap(distinct("flaky", master).first { $0.label("fairway.pod/restarts") == "1" })
        XCTAssertEqual(restart.status.state, .taskRunning)
        XCTAssertEqual(restart.label("fairway.pod/last-exit-code"), "4")

        master.send(Events.run(PodEvents.container("done", ["/bin/sh", "-c", "exit 0"], policy: "OnFailure")))
        let done = try await terminalUpdate("done", on: master)
        XCTAssertEqual(done.status.state, .taskFinished)
        XCTAssertNil(done.label("fairway.pod/restarts"), "no restart after a success")
    }

    func testNeverFailsAtOnceWithTheExitCode() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, _) = try await agent(master)
        master.send(Events.run(PodEvents.container("never", ["/bin/sh", "-c", "exit 3"], policy: "Never"),
                               PodEvents.container("signalled", ["/bin/sh", "-c", "kill -KILL $$"], policy: "Never")))
        let failed = try await terminalUpdate("never", on: master)
        XCTAssertEqual(failed.status.state, .taskFailed)
        XCTAssertEqual(failed.label("fairway.pod/exit-code"), "3")
        XCTAssertEqual(distinct("never", master).map(\.status.state), [.taskRunning, .taskFailed])
        let signalled = try await terminalUpdate("signalled", on: master)
        XCTAssertEqual(signalled.label("fairway.pod/exit-code"), "137")
    }

    func testAKilledTaskIsNotRestartedEvenWhileWaitingOutItsBackoff() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, _) = try await agent(master)
        master.send(Events.run(PodEvents.container("crashing", ["/bin/sh", "-c", "exit 1"], policy: "Always")))
        _ = try await eventually("a restart") { self.distinct("crashing", master).first { $0.label("fairway.pod/restarts") == "1" } }
        master.send(Events.kill("crashing", gracePeriod: 0))
        let killed = try await terminalUpdate("crashing", on: master)
        XCTAssertEqual(killed.status.state, .taskKilled, killed.status.message)
    }

    func testRestartCountsSurviveAnAgentRestart() async throws {
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: true)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster) { $0.podNetwork = PodNetworkOptions(mode: .off) }
        try await registered(first)
        firstMaster.send(Events.run(PodEvents.container("crashloop", ["/bin/sh", "-c", "sleep 0.3; exit 2"], policy: "Always")))
        _ = try await eventually("a first restart") { self.distinct("crashloop", firstMaster).first { $0.label("fairway.pod/restarts") == "1" } }
        await first.shutdown()

        let secondMaster = FakeMaster(autoAcknowledge: true)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster) { $0.podNetwork = PodNetworkOptions(mode: .off) }
        try await registered(second)
        let later = try await eventually("a restart counted on from the checkpoint") {
            self.distinct("crashloop", secondMaster).first { Int($0.label("fairway.pod/restarts") ?? "") ?? 0 >= 2 }
        }
        XCTAssertEqual(later.status.state, .taskRunning)
        XCTAssertEqual(later.label("fairway.pod/last-exit-code"), "2")
        secondMaster.send(Events.kill("crashloop", gracePeriod: 0))
        let killed = try await terminalUpdate("crashloop", on: secondMaster)
        XCTAssertEqual(killed.status.state, .taskKilled)
    }

    func testFailingLivenessProbeKillsAndRestartsTheContainer() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, work) = try await agent(master)
        let port = PodEvents.freePort()
        // /healthz passes twice, then fails: liveness kills the server, the policy restarts it.
        var task = PodEvents.container("live", [PodEvents.python, work + "/server.py", "\(port)", "live", "2"], policy: "Always")
        task.healthCheck = PodEvents.httpLiveness(port: port)
        master.send(Events.run(task))

        let healthy = try await eventually("healthy") { self.distinct("live", master).first { $0.status.hasHealthy && $0.status.healthy } }
        XCTAssertEqual(healthy.status.reason, .taskHealthCheckStatusUpdated)
        let unhealthy = try await eventually("unhealthy") { self.distinct("live", master).first { $0.status.hasHealthy && !$0.status.healthy } }
        XCTAssertTrue(unhealthy.status.message.hasPrefix("Liveness probe failed: HTTP probe failed with status 500"), unhealthy.status.message)
        let restarted = try await eventually("a restart after the liveness kill") {
            self.distinct("live", master).first { $0.label("fairway.pod/restarts") == "1" }
        }
        XCTAssertTrue(restarted.status.message.contains("Liveness probe failed"), restarted.status.message)
        XCTAssertNotEqual(restarted.label("fairway.pod/last-exit-code"), "0")
        master.send(Events.kill("live", gracePeriod: 0))
        _ = try await terminalUpdate("live", on: master)
    }

    func testReadinessFlipsFromFailingToPassingWhenTheServerComesUp() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let (_, work) = try await agent(master)
        let port = PodEvents.freePort()
        var task = PodEvents.container("ready", ["/bin/sh", "-c", "sleep 1; exec \(PodEvents.python) \(work)/server.py \(port) ready"],
                                       policy: "Always")
        task.check = PodEvents.tcpReadiness(port: port)
        master.send(Events.run(task))

        let failing = try await eventually("a failing check") {
            self.distinct("ready", master).first { $0.status.reason == .taskCheckStatusUpdated && $0.status.checkStatus.tcp.hasSucceeded }
        }
        XCTAssertFalse(failing.status.checkStatus.tcp.succeeded)
        XCTAssertEqual(failing.status.state, .taskRunning)
        let passing = try await eventually("a passing check") {
            self.distinct("ready", master).first { $0.status.reason == .taskCheckStatusUpdated && $0.status.checkStatus.tcp.succeeded }
        }
        XCTAssertEqual(passing.status.checkStatus.type, .tcp)
        let first = try XCTUnwrap(distinct("ready", master).first)
        XCTAssertTrue(first.status.hasCheckStatus && !first.status.checkStatus.tcp.hasSucceeded, "not ready before the first result")
        master.send(Events.kill("ready", gracePeriod: 0))
        _ = try await terminalUpdate("ready", on: master)
    }
}
