import FairwayCore
import FairwayProto
@testable import FrameworkKit
import XCTest

final class HelpersTests: XCTestCase {
    func testShellTask() throws {
        var agent = Fairway_V1_AgentID()
        agent.value = "S1"
        let task = Fairway_V1_TaskInfo(shell: "echo $X", id: "task-1", agentID: agent,
                                       resources: Resources(scalars: ["cpus": 0.1, "mem": 32]), environment: ["X": "1"])
        XCTAssertEqual(task.taskID.value, "task-1")
        XCTAssertEqual(task.name, "task-1")
        XCTAssertEqual(task.agentID.value, "S1")
        XCTAssertTrue(task.command.shell)
        XCTAssertEqual(task.command.value, "echo $X")
        XCTAssertEqual(task.command.environment.variables.map(\.name), ["X"])
        XCTAssertEqual(task.requestedResources, Resources(scalars: ["cpus": 0.1, "mem": 32]))
        XCTAssertTrue(task.isInitialized)
    }

    func testArgvTask() {
        let task = Fairway_V1_TaskInfo.command(id: "t", name: "sleeper", agentID: Fairway_V1_AgentID(), arguments: ["/bin/sleep", "1"],
                                               resources: Resources(scalars: ["cpus": 1]))
        XCTAssertFalse(task.command.shell)
        XCTAssertEqual(task.command.value, "/bin/sleep")
        XCTAssertEqual(task.command.arguments, ["/bin/sleep", "1"])
        XCTAssertEqual(task.name, "sleeper")
    }

    func testHowManyTasksFitInAnOffer() throws {
        let offer = Resources(scalars: ["cpus": 1, "mem": 100])
        XCTAssertEqual(offer.fittingCount(of: Resources(scalars: ["cpus": 0.1, "mem": 32])), 3, "mem limits")
        XCTAssertEqual(offer.fittingCount(of: Resources(scalars: ["cpus": 0.1, "mem": 1])), 10, "exact cpus arithmetic")
        XCTAssertEqual(offer.fittingCount(of: Resources(scalars: ["gpus": 1])), 0)
        XCTAssertEqual(offer.fittingCount(of: Resources(scalars: ["cpus": 0.1]), limit: 4), 4)
    }

    func testOfferResources() throws {
        let offer = FakeEvents.offer("o", cpus: 1.5, mem: 256)
        XCTAssertEqual(offer.availableResources, Resources(scalars: ["cpus": 1.5, "mem": 256]))
    }

    func testAcknowledgementNeedsUUIDAndAgent() {
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = "t"
        status.state = .taskRunning
        XCTAssertNil(SchedulerCalls.acknowledge(status), "no uuid: nothing to acknowledge")
        status.uuid = Data([1])
        XCTAssertNil(SchedulerCalls.acknowledge(status), "no agent: cannot be acknowledged")
        status.agentID.value = "S1"
        let call = SchedulerCalls.acknowledge(status)
        XCTAssertEqual(call?.type, .acknowledge)
        XCTAssertEqual(call?.acknowledge.uuid, Data([1]))
    }

    func testJSONSubscribeCallHasMesosShape() throws {
        var info = testFrameworkInfo()
        info.id.value = "fw-9"
        let json = MesosJSON.encodeString(SchedulerCalls.subscribe(info))
        XCTAssertTrue(json.contains("\"type\":\"SUBSCRIBE\""), json)
        XCTAssertTrue(json.contains("\"framework_id\":{\"value\":\"fw-9\"}"), json)
        XCTAssertTrue(json.contains("\"failover_timeout\":60"), json)
    }
}
