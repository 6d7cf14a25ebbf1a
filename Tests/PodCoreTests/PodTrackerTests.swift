import PodCore
import XCTest

private func definition(_ uid: String, cpus: Double = 1, containers: [String] = ["main"], probed: Set<String> = []) -> PodDefinition {
    PodDefinition(request: pod(uid, cpus: cpus), containers: containers, probedContainers: probed)
}

private func statuses(_ actions: [PodAction]) -> [String: PodStatusView] {
    actions.reduce(into: [:]) { if case .status(let uid, let status) = $1 { $0[uid] = status } }
}

private func events(_ actions: [PodAction]) -> [String] {
    actions.compactMap { if case .event(_, _, let reason, let message) = $0 { "\(reason): \(message)" } else { nil } }
}

final class PodTrackerTests: XCTestCase {
    func testPlacesSeveralPodsPerOfferAndDeclinesTheRest() {
        var tracker = PodTracker()
        var actions: [PodAction] = []
        for uid in ["a", "b", "c"] { actions += tracker.add(definition(uid), now: 0) }
        XCTAssertTrue(actions.contains(.declareDemand([PodDemand(cpus: 1, memMB: 128, count: 3)])))
        actions = tracker.offers([offer("n1", cpus: 4), offer("n2", cpus: 4), offer("n3", cpus: 0.5)], now: 1)
        let launches = actions.compactMap { if case .launch(_, _, let uids, _) = $0 { uids } else { nil } }
        XCTAssertEqual(launches.flatMap { $0 }.sorted(), ["a", "b", "c"])
        XCTAssertTrue(launches.contains { $0.count >= 2 }, "several pods on one offer")
        XCTAssertTrue(actions.contains(.decline(offerIDs: ["o-n3"], refuseSeconds: 30)))
        XCTAssertTrue(actions.contains(.suppress))
        let status = statuses(actions)["a"]
        XCTAssertEqual(status?.condition("PodScheduled")?.status, true)
        XCTAssertEqual(status?.nodeName?.hasSuffix(".local"), true)
        XCTAssertEqual(status?.containers.first?.state, .waiting(reason: "ContainerCreating"))
        XCTAssertTrue(events(actions).contains { $0.hasPrefix("Scheduled: Successfully assigned default/a to n") })
        XCTAssertEqual(tracker.pendingCount, 0)
    }

    func testAPodThatFitsNowhereSaysWhyOnce() {
        var tracker = PodTracker()
        _ = tracker.add(PodDefinition(request: pod("big", cpus: 64, at: 0), containers: ["main"]), now: 0)
        let first = tracker.offers([offer("n1"), offer("n2")], now: 1)
        XCTAssertTrue(events(first).isEmpty, "offers in hand are no verdict")
        XCTAssertTrue(first.contains(.decline(offerIDs: ["o-n1", "o-n2"], refuseSeconds: 1)))
        let judged = tracker.tick(now: 3)
        let status = statuses(judged)["big"]
        XCTAssertEqual(status?.phase, .pending)
        XCTAssertEqual(status?.condition("PodScheduled")?.status, false)
        XCTAssertEqual(status?.condition("PodScheduled")?.message, "0/2 agents are available: 2 insufficient cpu.")
        XCTAssertEqual(events(judged), ["FailedScheduling: 0/2 agents are available: 2 insufficient cpu."])
        _ = tracker.offers([offer("n1"), offer("n2")], now: 4)
        XCTAssertTrue(events(tracker.tick(now: 5)).isEmpty, "the same reason is not repeated")
        XCTAssertEqual(tracker.pendingCount, 1)
    }

    func testContainerUpdatesBecomePodStatus() {
        var tracker = PodTracker()
        _ = tracker.add(definition("p", containers: ["web", "side"], probed: ["web"]), now: 0)
        _ = tracker.offers([offer("n1")], now: 1)
        var actions = tracker.update(ContainerUpdate(taskID: "p.web", kind: .running, agentID: "n1", podIP: "10.88.1.2"), now: 2)
        var status = statuses(actions)["p"]
        XCTAssertEqual(status?.phase, .pending, "one container still waits")
        XCTAssertEqual(status?.podIP, "10.88.1.2")
        actions = tracker.update(ContainerUpdate(taskID: "p.side", kind: .running, agentID: "n1"), now: 3)
        status = statuses(actions)["p"]
        XCTAssertEqual(status?.phase, .running)
        XCTAssertEqual(status?.condition("Ready")?.status, false, "web has a readiness probe that has not passed")
        XCTAssertEqual(events(actions), ["Started: Started container side"])
        actions = tracker.update(ContainerUpdate(taskID: "p.web", kind: .running, agentID: "n1", ready: true), now: 4)
        XCTAssertEqual(statuses(actions)["p"]?.condition("Ready")?.status, true)
        actions = tracker.update(ContainerUpdate(taskID: "p.side", kind: .failed, agentID: "n1", message: "boom", exitCode: 3), now: 5)
        status = statuses(actions)["p"]
        XCTAssertEqual(status?.phase, .running, "web still runs")
        XCTAssertEqual(status?.containers[1].state.termination?.exitCode, 3)
        XCTAssertEqual(status?.containers[1].state.termination?.reason, "Error")
        actions = tracker.update(ContainerUpdate(taskID: "p.web", kind: .finished, agentID: "n1"), now: 6)
        XCTAssertEqual(statuses(actions)["p"]?.phase, .failed, "one container failed")
        XCTAssertTrue(tracker.update(ContainerUpdate(taskID: "other.web", kind: .running, agentID: "n1"), now: 7).isEmpty)
    }

    func testAContainerThatCannotStartFailsThePodAndKillsTheRest() {
        var tracker = PodTracker()
        _ = tracker.add(definition("p", containers: ["a", "b"]), now: 0)
        _ = tracker.offers([offer("n1")], now: 1)
        _ = tracker.update(ContainerUpdate(taskID: "p.a", kind: .running, agentID: "n1"), now: 2)
        let actions = tracker.update(ContainerUpdate(taskID: "p.b", kind: .error, agentID: "n1", message: "not found"), now: 3)
        XCTAssertEqual(statuses(actions)["p"]?.phase, .running, "a still runs until killed")
        let killed = tracker.update(ContainerUpdate(taskID: "p.a", kind: .killed, agentID: "n1"), now: 4)
        XCTAssertEqual(statuses(killed)["p"]?.phase, .failed)
        XCTAssertTrue(events(actions).contains { $0.contains("container b could not start: not found") })
    }

    func testDeletingKillsLiveContainersAndSuppressesWhenNothingWaits() {
        var tracker = PodTracker()
        _ = tracker.add(definition("run", containers: ["a", "b"]), now: 0)
        _ = tracker.offers([offer("n1")], now: 1)
        _ = tracker.update(ContainerUpdate(taskID: "run.a", kind: .finished, agentID: "n1"), now: 2)
        XCTAssertTrue(tracker.remove(uid: "run", now: 3).contains(.kill(taskIDs: ["run.b"], agentID: "n1")))
        _ = tracker.add(definition("queued", cpus: 64), now: 4)
        let actions = tracker.remove(uid: "queued", now: 5)
        XCTAssertTrue(!actions.contains { if case .kill = $0 { true } else { false } })
        XCTAssertTrue(actions.contains(.declareDemand([])))
    }

    func testALostAgentFailsItsPods() {
        var tracker = PodTracker()
        _ = tracker.add(definition("p"), now: 0)
        _ = tracker.offers([offer("n1")], now: 1)
        let actions = tracker.agentLost("n1", now: 2)
        let status = statuses(actions)["p"]
        XCTAssertEqual(status?.phase, .failed)
        XCTAssertEqual(status?.reason, "NodeLost")
        XCTAssertTrue(tracker.liveTasks.isEmpty)
        XCTAssertEqual(tracker.placer.state.count, 0)
    }

    func testARevivedQueueRevivesOffers() {
        var tracker = PodTracker()
        _ = tracker.offers([offer("n1")], now: 0)
        let actions = tracker.add(definition("p"), now: 1)
        XCTAssertTrue(actions.contains(.revive))
    }

    func testReplicasWaitBrieflyForAnotherAgentToSpread() {
        var tracker = PodTracker()
        _ = tracker.offers([offer("n1"), offer("n2")], now: 0)
        for index in 0..<4 {
            _ = tracker.add(PodDefinition(request: pod("r\(index)", rc: "rc/default/web", at: Double(index)), containers: ["web"]), now: 1)
        }
        var actions = tracker.offers([offer("n1", cpus: 8)], now: 2)
        let launched = actions.compactMap { if case .launch(_, _, let uids, let refuse) = $0 { (uids, refuse) } else { nil } }
        XCTAssertEqual(launched.first?.0, ["r0", "r1"], "n1 gets its fair share, two of four")
        XCTAssertEqual(launched.first?.1, 1, "n1's leftovers are refused so n2 is offered")
        XCTAssertEqual(tracker.pendingCount, 2)
        actions = tracker.offers([offer("n2", cpus: 8)], now: 3)
        XCTAssertEqual(actions.compactMap { if case .launch(_, let agent, let uids, _) = $0 { "\(agent):\(uids)" } else { nil } },
                       ["n2:[\"r2\", \"r3\"]"])
    }

    func testSpreadingNeverKeepsAPodPendingForLong() {
        var tracker = PodTracker()
        _ = tracker.offers([offer("n1"), offer("n2")], now: 0)
        for index in 0..<4 {
            _ = tracker.add(PodDefinition(request: pod("r\(index)", rc: "rc/default/web", at: Double(index)), containers: ["web"]), now: 1)
        }
        _ = tracker.offers([offer("n1", cpus: 8)], now: 2)
        let actions = tracker.offers([offer("n1", cpus: 6)], now: 10)
        let uids = actions.compactMap { if case .launch(_, _, let uids, _) = $0 { uids } else { nil } }.flatMap { $0 }
        XCTAssertEqual(uids.sorted(), ["r2", "r3"], "after the wait they go where they fit")
    }

    func testAPodNoOfferIsMadeForStillSaysWhyItWaits() {
        var tracker = PodTracker()
        _ = tracker.offers([offer("n1", cpus: 2), offer("n2", cpus: 2)], now: 0)
        _ = tracker.add(PodDefinition(request: pod("big", cpus: 16, at: 1), containers: ["main"]), now: 1)
        XCTAssertTrue(tracker.tick(now: 2).isEmpty, "not before it waited a moment")
        let actions = tracker.tick(now: 3.5)
        XCTAssertEqual(events(actions), ["FailedScheduling: 0/2 agents are available: 2 insufficient cpu."])
        XCTAssertTrue(tracker.tick(now: 5).isEmpty, "said once")
        XCTAssertEqual(tracker.pendingCount, 1)
    }
}
