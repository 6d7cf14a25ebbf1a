import FairwayProto
import FairwayTesting
import Logging
import Synchronization
import XCTest
@testable import FrameworkKit

final class OfferDeskTests: XCTestCase {
    private let logger = Logger(label: "test")

    private func offer(_ id: String, agent: String = "a1") -> Fairway_V1_Offer {
        var offer = Fairway_V1_Offer()
        offer.id.value = id
        offer.agentID.value = agent
        return offer
    }

    /// Offers are held until used, declined or rescinded, and all dropped when the subscription
    /// is new or breaks; an executor ending is not an agent lost.
    func testHoldsOffersUntilUsedAndDropsThemWithTheSubscription() {
        var desk = OfferDesk()
        guard case .offers(let received) = desk.take(.offers([offer("o1"), offer("o2"), offer("o3")]), logger: logger) else {
            return XCTFail("offers are the framework's to place")
        }
        XCTAssertEqual(received.map(\.id.value), ["o1", "o2", "o3"])
        var rescinded = Fairway_V1_OfferID()
        rescinded.value = "o2"
        XCTAssertNil(desk.take(.rescind(rescinded), logger: logger))
        XCTAssertNil(desk.use("o2"), "a rescinded offer cannot be used")
        XCTAssertEqual(desk.use("o1")?.id.value, "o1")
        XCTAssertNil(desk.use("o1"), "an offer is used once")
        XCTAssertEqual(desk.release(["o1", "o3", "zz"]), ["o3"])
        XCTAssertTrue(desk.offers.isEmpty)

        _ = desk.take(.offers([offer("o4")]), logger: logger)
        XCTAssertNil(desk.take(.disconnected("stream broke"), logger: logger))
        XCTAssertTrue(desk.offers.isEmpty, "offers do not outlive the subscription")
        _ = desk.take(.offers([offer("o5")]), logger: logger)
        var id = Fairway_V1_FrameworkID()
        id.value = "fw-1"
        guard case .subscribed(let frameworkID) = desk.take(.subscribed(frameworkID: id, heartbeatInterval: 15, masterInfo: .init()),
                                                              logger: logger) else { return XCTFail("subscribed") }
        XCTAssertEqual(frameworkID, "fw-1")
        XCTAssertTrue(desk.offers.isEmpty)

        var executorEnded = Fairway_V1_Scheduler_Event.Failure()
        executorEnded.agentID.value = "a1"
        executorEnded.executorID.value = "pod-1"
        XCTAssertNil(desk.take(.failure(executorEnded), logger: logger))
        var agentLost = Fairway_V1_Scheduler_Event.Failure()
        agentLost.agentID.value = "a1"
        guard case .agentLost(let agentID) = desk.take(.failure(agentLost), logger: logger) else { return XCTFail("agent lost") }
        XCTAssertEqual(agentID, "a1")
    }

    /// Updates are acknowledged together: one ACKNOWLEDGE_MANY for a burst, nothing for updates
    /// without a uuid.
    func testAcknowledgementsGoOutTogether() async throws {
        let link = RecordingLink()
        let calls = MasterCalls(scheduler: link, logger: logger)
        for index in 0..<300 {
            var status = Fairway_V1_TaskStatus()
            status.taskID.value = "t\(index)"
            status.agentID.value = "a1"
            if index % 3 != 0 { status.uuid = Data([UInt8(index % 256), 1]) }
            calls.acknowledgeSoon(status)
        }
        try await waitUntil("every update with a uuid is acknowledged") { link.acknowledged == 200 }
        let sent = link.calls.withLock { $0 }
        XCTAssertTrue(sent.allSatisfy { $0.type == .acknowledgeMany }, "\(sent.map(\.type))")
        XCTAssertLessThanOrEqual(sent.count, 2, "one call per batch of up to 256")
        calls.finish()
    }
}

/// A link that records the calls sent to it (a unit test's stand-in for the master).
private actor RecordingLink: SchedulerLink {
    nonisolated let events: AsyncStream<SchedulerEvent> = AsyncStream { _ in }
    nonisolated let calls = Mutex<[Fairway_V1_Scheduler_Call]>([])
    var frameworkID: Fairway_V1_FrameworkID? { nil }
    nonisolated func start() {}
    func stop() async {}
    func send(_ call: Fairway_V1_Scheduler_Call) async throws { calls.withLock { $0.append(call) } }
    nonisolated var acknowledged: Int { calls.withLock { $0.reduce(0) { $0 + $1.acknowledgeMany.acknowledgements.count } } }
}
