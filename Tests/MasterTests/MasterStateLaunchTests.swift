import FairwayCore
import FairwayProto
import XCTest
@testable import Master

final class MasterStateLaunchTests: XCTestCase {
    func testOffersGoToSubscribedFrameworkAndAcceptLaunchesOnAgent() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        XCTAssertEqual(frameworkID, "m1-0000")
        let offers = state.allocate(now: 1000.01).offers
        XCTAssertEqual(offers.count, 1)
        XCTAssertEqual(offers.first?.agentID.value, agentID)
        XCTAssertEqual(try Resources(proto: offers[0].resources).scalar("cpus"), 4)

        let actions = state.accept(frameworkID: frameworkID, Fixtures.accept([offers[0].id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 1, mem: 128),
            Fixtures.task("t2", agentID: agentID, cpus: 1, mem: 128),
        ]), now: 1001)
        let runs = actions.agentEvents(to: agentID).flatMap(\.runTasks.runs)
        XCTAssertEqual(runs.map(\.task.taskID.value), ["t1", "t2"])
        XCTAssertEqual(state.task(frameworkID: frameworkID, taskID: "t1")?.task.state, .taskStaging)
        XCTAssertTrue(state.offers.isEmpty, "an accepted offer is used up")
    }

    /// An agent's name need not resolve: offers and its pid carry the address it registered from.
    func testOffersAndPidCarryTheAgentsAddressBesideItsName() {
        var state = Fixtures.masterState()
        var register = Fixtures.register(hostname: "node-a", resources: "cpus:1;mem:256")
        register.address = "10.1.2.3"
        let agentID = state.addAgent(register, stream: "a1", now: 1000)
        _ = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        XCTAssertEqual(offer.hostname, "node-a")
        XCTAssertEqual(offer.url.address.hostname, "node-a")
        XCTAssertEqual(offer.url.address.ip, "10.1.2.3")
        XCTAssertEqual(state.agents[agentID]?.pid, "slave(1)@10.1.2.3:5051")
        let older = state.addAgent(Fixtures.register(hostname: "old-agent", resources: "cpus:1;mem:256"), stream: "a2", now: 1000)
        XCTAssertEqual(state.agents[older]?.pid, "slave(1)@old-agent:5051", "an agent that sends no address is reached by name")
    }

    func testTaskAskingForMoreThanOfferedGetsTaskError() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:1;mem:256"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        let actions = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("big", agentID: agentID, cpus: 2, mem: 128),
        ]), now: 1001)
        let status = actions.statuses.first
        XCTAssertEqual(status?.state, .taskError)
        XCTAssertEqual(status?.reason, .taskInvalid)
        XCTAssertTrue(status?.message.contains("more resources") == true, status?.message ?? "")
        XCTAssertTrue(actions.agentEvents(to: agentID).isEmpty, "nothing is launched")
    }

    func testUnknownOfferDropsOrLosesTasks() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:1;mem:256"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(capabilities: [.partitionAware]), stream: "s1", now: 1000)
        let actions = state.accept(frameworkID: frameworkID, Fixtures.accept(["no-such-offer"], tasks: [
            Fixtures.task("t", agentID: agentID, cpus: 0.1, mem: 32),
        ]), now: 1001)
        XCTAssertEqual(actions.statuses.map(\.state), [.taskDropped])
        XCTAssertEqual(actions.statuses.first?.reason, .invalidOffers)
    }

    func testTerminalUpdateFreesResourcesAndAckCompletesTask() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 2, mem: 1024),
        ], refuseSeconds: 0), now: 1001)
        XCTAssertTrue(state.allocate(now: 1002).offers.isEmpty, "the whole agent is in use")

        let update = Fixtures.statusUpdate(frameworkID: frameworkID, taskID: "t1", agentID: agentID, state: .taskFinished)
        guard case .success(let forwarded) = state.agentStatusUpdates(agentID: agentID, streamID: "a1", [update], now: 1003) else {
            return XCTFail("update refused")
        }
        XCTAssertEqual(forwarded.statuses.map(\.state), [.taskFinished])
        XCTAssertEqual(state.allocate(now: 1004).offers.count, 1, "the finished task's resources are offered again")

        var ack = Fairway_V1_Scheduler_Call.Acknowledge()
        ack.agentID.value = agentID
        ack.taskID.value = "t1"
        ack.uuid = update.status.uuid
        let acked = state.acknowledge(frameworkID: frameworkID, ack, now: 1005)
        XCTAssertEqual(acked.agentEvents(to: agentID).flatMap(\.acknowledgements).map(\.taskID.value), ["t1"])
        XCTAssertNil(state.task(frameworkID: frameworkID, taskID: "t1"))
        XCTAssertEqual(state.frameworks[frameworkID]?.completedTasks.map(\.id), ["t1"])
    }

    /// ACKNOWLEDGE_MANY: every update acknowledged as one ACKNOWLEDGE would, in one event per agent.
    func testAcknowledgeManyCompletesEveryTaskWithOneEventToTheAgent() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:3;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        let ids = ["t1", "t2", "t3"]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: ids.map {
            Fixtures.task($0, agentID: agentID, cpus: 1, mem: 256)
        }, refuseSeconds: 0), now: 1001)
        let updates = ids.map { Fixtures.statusUpdate(frameworkID: frameworkID, taskID: $0, agentID: agentID, state: .taskFinished) }
        guard case .success = state.agentStatusUpdates(agentID: agentID, streamID: "a1", updates, now: 1002) else {
            return XCTFail("updates refused")
        }
        let acks = updates.map { update in
            var ack = Fairway_V1_Scheduler_Call.Acknowledge()
            ack.agentID.value = agentID
            ack.taskID = update.status.taskID
            ack.uuid = update.status.uuid
            return ack
        }
        let acked = state.acknowledge(frameworkID: frameworkID, acks, now: 1003)
        XCTAssertEqual(acked.agentEvents(to: agentID).count, 1)
        XCTAssertEqual(acked.agentEvents(to: agentID).flatMap(\.acknowledgements).map(\.taskID.value), ids)
        XCTAssertEqual(state.frameworks[frameworkID]?.completedTasks.map(\.id), ids)
    }

    func testDuplicateTaskIDIsRejected() {
        var state = Fixtures.masterState()
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:2;mem:1024"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        let actions = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("same", agentID: agentID, cpus: 0.5, mem: 64),
            Fixtures.task("same", agentID: agentID, cpus: 0.5, mem: 64),
        ]), now: 1001)
        XCTAssertEqual(actions.statuses.map(\.state), [.taskError])
        XCTAssertTrue(actions.statuses.first?.message.contains("duplicate") == true)
    }
}
