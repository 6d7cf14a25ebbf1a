import PodCore
import XCTest

final class PodPlacerTests: XCTestCase {
    func testOneOfferTakesFourOneCPUPodsInOnePass() {
        var placer = PodPlacer()
        let pending = (1...4).map { pod("p\($0)", at: Double($0)) }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4)], now: 10)
        XCTAssertEqual(result.assignments.map(\.podUID), ["p1", "p2", "p3", "p4"])
        XCTAssertEqual(Set(result.assignments.map(\.offerID)), ["o-a1"])
        XCTAssertTrue(result.unplaced.isEmpty)
        XCTAssertTrue(result.unusedOffers.isEmpty)
    }

    /// Told the smallest pod waiting, a pass over a long queue stops once no offer can take it,
    /// and places exactly what a full pass would.
    func testAPassStopsWhenNoOfferHasRoomForTheSmallestPod() {
        let queue = (1...1000).map { pod("p\($0)", cpus: $0 % 2 == 0 ? 1 : 0.5, at: Double($0)) }
        let offers = [offer("a1", cpus: 3), offer("a2", cpus: 2)]
        var full = PodPlacer(), early = PodPlacer()
        let all = full.place(pending: queue, offers: offers, now: 0)
        let stopped = early.place(oldestFirst: queue, offers: offers, now: 0, smallest: (cpus: 0.5, memMB: 128))
        XCTAssertEqual(stopped.assignments, all.assignments)
        XCTAssertEqual(all.unplaced.count, 1000 - all.assignments.count)
        XCTAssertLessThan(stopped.unplaced.count, 10, "the pods after the offers filled up were not walked")
        XCTAssertEqual(stopped.unusedOffers, all.unusedOffers)
    }

    /// An agent takes at most its maximum of pods, counting those placed before this pass.
    func testAnAgentTakesNoMoreThanItsMaximumOfPods() {
        var state = PlacementState()
        state.record(podUID: "old", controllerKey: nil, agentID: "a1", at: 0)
        var placer = PodPlacer(state: state, maximumPodsPerAgent: 3)
        let pending = (1...6).map { pod("p\($0)", cpus: 0.1, at: Double($0)) }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4), offer("a2", cpus: 4)], now: 1)
        XCTAssertEqual(result.assignments.filter { $0.agentID == "a1" }.count, 2, "a1 already ran one")
        XCTAssertEqual(result.assignments.filter { $0.agentID == "a2" }.count, 3)
        XCTAssertEqual(result.unplaced.values.first?.message, "0/2 agents are available: 2 too many pods.")
    }

    func testFifthPodWaitsWhenTheOfferIsFull() {
        var placer = PodPlacer()
        let pending = (1...5).map { pod("p\($0)", at: Double($0)) }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4)], now: 0)
        XCTAssertEqual(result.assignments.count, 4)
        XCTAssertEqual(result.unplaced["p5"]?.message, "0/1 agents are available: 1 insufficient cpu.")
    }

    func testNodeSelectorLandsOnlyOnMatchingAgents() {
        var placer = PodPlacer()
        let offers = [offer("a1", cpus: 8), offer("a2", cpus: 8, attributes: ["disk": "ssd"]), offer("a3", cpus: 8)]
        let pending = (1...3).map { pod("p\($0)", selector: ["disk": "ssd"]) }
        let result = placer.place(pending: pending, offers: offers, now: 0)
        XCTAssertEqual(result.podsPerAgent, ["a2": 3])
        XCTAssertEqual(result.unusedOffers, ["o-a1", "o-a3"])
    }

    func testHostnameSelectorPinsAPod() {
        var placer = PodPlacer()
        let offers = [offer("a1"), offer("a2")]
        let result = placer.place(pending: [pod("p", selector: [AgentOffer.hostnameLabel: "a2.local"])], offers: offers, now: 0)
        XCTAssertEqual(result.assignments, [PodAssignment(podUID: "p", offerID: "o-a2", agentID: "a2")])
    }

    func testFiveReplicasSplitThreeTwoOverTwoAgents() {
        var placer = PodPlacer()
        let pending = (1...5).map { pod("web-\($0)", rc: "rc/default/web", at: Double($0)) }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 8), offer("a2", cpus: 8)], now: 0)
        XCTAssertEqual(result.podsPerAgent, ["a1": 3, "a2": 2])
    }

    func testFiveReplicasSplitTwoTwoOneOverThreeAgents() {
        var placer = PodPlacer()
        let pending = (1...5).map { pod("web-\($0)", rc: "rc/default/web", at: Double($0)) }
        let offers = [offer("a1", cpus: 8), offer("a2", cpus: 8), offer("a3", cpus: 8)]
        let result = placer.place(pending: pending, offers: offers, now: 0)
        XCTAssertEqual(result.podsPerAgent, ["a1": 2, "a2": 2, "a3": 1])
    }

    func testSpreadingSeesReplicasPlacedInEarlierPasses() {
        var placer = PodPlacer()
        _ = placer.place(pending: [pod("web-1", rc: "rc/default/web"), pod("web-2", rc: "rc/default/web")],
                         offers: [offer("a1", cpus: 8)], now: 0)
        XCTAssertEqual(placer.state.replicas(of: "rc/default/web", on: "a1"), 2)
        let result = placer.place(pending: [pod("web-3", rc: "rc/default/web")],
                                  offers: [offer("a1", cpus: 8), offer("a2", cpus: 8)], now: 1)
        XCTAssertEqual(result.podsPerAgent, ["a2": 1])
    }

    func testImpossiblePodGetsKubernetesStyleMessage() {
        var placer = PodPlacer()
        let offers = [
            offer("a1", cpus: 1, attributes: ["disk": "ssd"]),
            offer("a2", cpus: 2, attributes: ["disk": "ssd"]),
            offer("a3", cpus: 8, attributes: ["disk": "hdd"]),
        ]
        let result = placer.place(pending: [pod("big", cpus: 4, selector: ["disk": "ssd"])], offers: offers, now: 0)
        XCTAssertTrue(result.assignments.isEmpty)
        XCTAssertEqual(result.unplaced["big"]?.message, "0/3 agents are available: 2 insufficient cpu, 1 node selector mismatch.")
        XCTAssertEqual(result.unusedOffers, ["o-a1", "o-a2", "o-a3"])
    }

    func testMixedReasonsAreCountedAndSortedByCountThenReason() {
        var placer = PodPlacer()
        let offers = [
            offer("a1", cpus: 1, mem: 8192, attributes: ["zone": "a"]),
            offer("a2", cpus: 8, mem: 256, attributes: ["zone": "a"]),
            offer("a3", cpus: 8, mem: 8192, attributes: ["zone": "b"]),
            offer("a4", cpus: 8, mem: 8192, attributes: [:]),
        ]
        let result = placer.place(pending: [pod("p", cpus: 2, mem: 1024, selector: ["zone": "a"])], offers: offers, now: 0)
        let reason = result.unplaced["p"]
        XCTAssertEqual(reason?.counts, ["insufficient cpu": 1, "insufficient memory": 1, "node selector mismatch": 2])
        XCTAssertEqual(reason?.message, "0/4 agents are available: 2 node selector mismatch, 1 insufficient cpu, 1 insufficient memory.")
    }

    func testCapacityUsedEarlierInThePassCountsInTheReason() {
        var placer = PodPlacer()
        let pending = [pod("first", cpus: 3, at: 1), pod("second", cpus: 3, at: 2)]
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4)], now: 0)
        XCTAssertEqual(result.assignments.map(\.podUID), ["first"])
        XCTAssertEqual(result.unplaced["second"]?.message, "0/1 agents are available: 1 insufficient cpu.")
    }

    func testOldestPodIsServedFirst() {
        var placer = PodPlacer()
        let pending = [pod("young", cpus: 4, at: 5), pod("old", cpus: 4, at: 1)]
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 4)], now: 0)
        XCTAssertEqual(result.assignments.map(\.podUID), ["old"])
        XCTAssertNotNil(result.unplaced["young"])
    }

    func testNoOffersLeavesPodsUnplacedWithAnHonestMessage() {
        var placer = PodPlacer()
        let result = placer.place(pending: [pod("p")], offers: [], now: 0)
        XCTAssertEqual(result.unplaced["p"]?.message, "0/0 agents are available.")
    }

    func testResultsDoNotDependOnOfferOrder() {
        var pending: [PodRequest] = []
        for index in 0..<30 {
            let cpus = Double(index % 3) + 0.5
            let rc: String? = index % 2 == 0 ? "rc/default/a" : nil
            pending.append(pod("p\(index)", cpus: cpus, mem: 256, rc: rc, at: Double(index)))
        }
        let offers = (0..<6).map { offer("a\($0)", cpus: 6, mem: 4096) }
        var first = PodPlacer()
        var second = PodPlacer()
        let a = first.place(pending: pending, offers: offers, now: 0)
        let b = second.place(pending: pending, offers: offers.reversed(), now: 0)
        XCTAssertEqual(a.assignments, b.assignments)
        XCTAssertEqual(a.unplaced, b.unplaced)
        XCTAssertEqual(Set(a.unusedOffers), Set(b.unusedOffers))
    }

    func testPlacedPodsAreNotPlacedTwice() {
        var placer = PodPlacer()
        _ = placer.place(pending: [pod("p")], offers: [offer("a1")], now: 0)
        let again = placer.place(pending: [pod("p"), pod("p")], offers: [offer("a2")], now: 1)
        XCTAssertTrue(again.assignments.isEmpty)
        XCTAssertTrue(again.unplaced.isEmpty)
        XCTAssertEqual(placer.state.agent(ofPod: "p"), "a1")
    }

    func testFractionalRequestsFillExactly() {
        var placer = PodPlacer()
        let pending = (1...10).map { pod("p\($0)", cpus: 0.1, mem: 0.1) }
        let result = placer.place(pending: pending, offers: [offer("a1", cpus: 1, mem: 1)], now: 0)
        XCTAssertEqual(result.assignments.count, 10)
    }
}
