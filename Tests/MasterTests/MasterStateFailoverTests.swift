import FairwayCore
import FairwayProto
import XCTest
@testable import Master

final class MasterStateFailoverTests: XCTestCase {
    func testResubscribingWithSameIDErrorsTheOldStreamAndKeepsTasks() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(failoverTimeout: 60), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 1, mem: 128),
        ]), now: 1001)

        guard case .subscribed(let sameID, let actions) = state.subscribe(
            Fixtures.subscribe(id: frameworkID, failoverTimeout: 60), streamID: "s2", now: 1002) else {
            return XCTFail("failover refused")
        }
        XCTAssertEqual(sameID, frameworkID)
        XCTAssertEqual(actions.events(to: frameworkID).first?.error.message, "Framework failed over")
        XCTAssertTrue(actions.contains { if case .closeFrameworkStream("s1") = $0 { return true }; return false })
        XCTAssertEqual(state.frameworks[frameworkID]?.streamID, "s2")
        XCTAssertNotNil(state.task(frameworkID: frameworkID, taskID: "t1"))
    }

    func testFailoverTimeoutRemovesFrameworkAndKillsItsTasks() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(failoverTimeout: 10), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 1, mem: 128),
        ]), now: 1001)
        _ = state.frameworkDisconnected(frameworkID: frameworkID, streamID: "s1", now: 1002)
        XCTAssertTrue(state.tick(now: 1011).isEmpty, "still within the failover timeout")
        let actions = state.tick(now: 1012.5)
        XCTAssertEqual(actions.agentEvents(to: agentID).map(\.type), [.shutdownFramework])
        XCTAssertNil(state.frameworks[frameworkID])
        guard case .refused = state.subscribe(Fixtures.subscribe(id: frameworkID), streamID: "s3", now: 1013) else {
            return XCTFail("a removed framework must not come back")
        }
    }

    func testMasterRestartAdoptsTasksReportedByReregisteringAgent() {
        var state = Fixtures.masterState()
        var info = Fairway_V1_FrameworkInfo()
        info.user = "root"
        info.name = "fw"
        info.id.value = "old-0000"
        info.failoverTimeout = 60
        var agentInfo = Fairway_V1_AgentInfo()
        agentInfo.id.value = "old-S0"
        agentInfo.hostname = "host"
        state.recover(agents: [agentInfo], frameworks: [(info, 900)], counters: ["framework": 1, "agent": 1], now: 1000)

        var running = Fairway_V1_Task()
        running.taskID.value = "t1"
        running.frameworkID.value = "old-0000"
        running.agentID.value = "old-S0"
        running.name = "t1"
        running.state = .taskRunning
        running.resources = Resources(scalars: ["cpus": 1, "mem": 128]).proto()
        var reported = Fairway_Internal_FrameworkTasks()
        reported.frameworkInfo = info
        reported.tasks = [running]
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024", id: "old-S0", tasks: [reported]),
                                     stream: "a1", now: 1001)
        XCTAssertEqual(agentID, "old-S0")
        XCTAssertEqual(state.task(frameworkID: "old-0000", taskID: "t1")?.task.state, .taskRunning)
        XCTAssertEqual(state.usedResources(onAgent: agentID).scalar("cpus"), 1)

        let frameworkID = state.subscribeFramework(Fixtures.subscribe(id: "old-0000", failoverTimeout: 60), stream: "s1", now: 1002)
        XCTAssertEqual(frameworkID, "old-0000")
        XCTAssertNotNil(state.task(frameworkID: frameworkID, taskID: "t1"))
    }

    func testUnknownAgentIDIsToldToShutDown() {
        var state = Fixtures.masterState()
        guard case .shutdown = state.registerAgent(Fixtures.register(resources: "cpus:1;mem:128", id: "gone-S9"), streamID: "a1", now: 1000) else {
            return XCTFail("an unknown agent id must be refused")
        }
    }

    func testAgentRemovalLosesItsTasks() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 1, mem: 128),
        ]), now: 1001)
        _ = state.agentDisconnected(agentID: agentID, streamID: "a1", now: 1002)
        let actions = state.tick(now: 1002 + state.configuration.agentRemovalTimeout)
        XCTAssertEqual(actions.statuses.map(\.state), [.taskLost])
        XCTAssertEqual(actions.statuses.first?.reason, .agentRemoved)
        XCTAssertTrue(actions.events(to: frameworkID).contains { $0.type == .failure })
        XCTAssertNil(state.agents[agentID])
    }
}
