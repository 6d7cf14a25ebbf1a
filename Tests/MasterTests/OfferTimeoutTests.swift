import FairwayCore
import FairwayProto
import XCTest
@testable import Master

/// `--offer-timeout` in the pure state machine: an unanswered offer is rescinded at the timeout,
/// its resources go back to the allocator, and the rescind is counted against the framework.
final class OfferTimeoutTests: XCTestCase {
    private func state(offerTimeout: Double?) -> MasterState {
        var configuration = MasterState.Configuration()
        configuration.offerTimeout = offerTimeout
        var info = Fairway_V1_MasterInfo()
        info.id = "m1"
        return MasterState(configuration: configuration, masterInfo: info, now: 1000)
    }

    func testUnansweredOfferIsRescindedAtTheTimeoutAndOfferedAgain() {
        var state = state(offerTimeout: 30)
        _ = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(name: "hoarder"), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]

        XCTAssertTrue(state.tick(now: 1029.9).events(to: frameworkID).isEmpty, "not before the timeout")
        XCTAssertEqual(state.offers.count, 1)

        let actions = state.tick(now: 1030)
        let rescinds = actions.events(to: frameworkID).filter { $0.type == .rescind }
        XCTAssertEqual(rescinds.map(\.rescind.offerID.value), [offer.id.value])
        XCTAssertTrue(state.offers.isEmpty)
        XCTAssertTrue(state.allocationNeeded, "an allocation pass is requested for the returned resources")
        XCTAssertEqual(state.counters.offers.rescinded, 1)
        XCTAssertEqual(state.counters.offersByFramework[frameworkID]?.rescinded, 1)
        XCTAssertEqual(state.allocator.available(agentID: offer.agentID.value).scalar("cpus"), 4, "resources are back")

        let again = state.allocate(now: 1030.1).offers
        XCTAssertEqual(again.count, 1, "the resources are offered again")
        XCTAssertNotEqual(again.first?.id.value, offer.id.value)
        XCTAssertTrue(state.tick(now: 1031).events(to: frameworkID).isEmpty, "the new offer has its own 30 s")
        XCTAssertEqual(state.tick(now: 1061).events(to: frameworkID).filter { $0.type == .rescind }.count, 1)
        XCTAssertEqual(state.counters.offersByFramework[frameworkID]?.rescinded, 2)
    }

    func testAnsweredOffersAreNotRescinded() {
        var state = state(offerTimeout: 10)
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 4, mem: 4096),
        ]), now: 1001)
        XCTAssertTrue(state.tick(now: 1100).events(to: frameworkID).filter { $0.type == .rescind }.isEmpty)
        XCTAssertEqual(state.counters.offers.rescinded, 0)
        XCTAssertEqual(state.counters.offers.accepted, 1)
    }

    func testWithoutATimeoutOffersAreKeptForever() {
        var state = state(offerTimeout: nil)
        _ = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        _ = state.allocate(now: 1000)
        XCTAssertTrue(state.tick(now: 1_000_000).events(to: frameworkID).isEmpty)
        XCTAssertEqual(state.offers.count, 1)
    }

    func testCountersFollowOffersAndAllocationRuns() {
        var state = state(offerTimeout: nil)
        _ = state.addAgent(Fixtures.register(hostname: "h1", resources: "cpus:2;mem:2048"), stream: "a1", now: 1000)
        _ = state.addAgent(Fixtures.register(hostname: "h2", resources: "cpus:2;mem:2048"), stream: "a2", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        let offers = state.allocate(now: 1000).offers
        XCTAssertEqual(offers.count, 2)
        var decline = Fairway_V1_Scheduler_Call.Decline()
        decline.offerIds = offers.map(\.id)
        _ = state.decline(frameworkID: frameworkID, decline, now: 1001)
        _ = state.allocate(now: 1001)
        XCTAssertEqual(state.counters.allocationRuns, 2)
        XCTAssertEqual(state.counters.offers.sent, 2)
        XCTAssertEqual(state.counters.offers.declined, 2)
        XCTAssertEqual(state.counters.offersByFramework[frameworkID]?.declined, 2)

        _ = state.removeFramework(frameworkID, reason: "test", now: 1002)
        XCTAssertNil(state.counters.offersByFramework[frameworkID], "a removed framework's counters go")
        XCTAssertEqual(state.counters.offers.sent, 2, "totals stay")
    }

    func testOldestOfferAgeIsReported() {
        var state = state(offerTimeout: nil)
        _ = state.addAgent(Fixtures.register(resources: "cpus:2;mem:2048"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(), stream: "s1", now: 1000)
        XCTAssertNil(state.oldestOfferAge(ofFramework: frameworkID, now: 1000))
        _ = state.allocate(now: 1000)
        XCTAssertEqual(state.oldestOfferAge(ofFramework: frameworkID, now: 1012.5), 12.5)
    }
}
