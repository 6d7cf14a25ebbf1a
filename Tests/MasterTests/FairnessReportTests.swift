import Allocator
import FairwayCore
import FairwayProto
import XCTest
@testable import Master

/// The fairness view as the master reports it: names, states, outstanding offers and hoarding,
/// rescinds, shares, and the history sample taken from it.
final class FairnessReportTests: XCTestCase {
    /// One agent of 4 cpus / 4096 mem; "holder" runs a 2-cpu task, "hoarder" sits on the rest.
    private func cluster() -> (MasterState, holder: String, hoarder: String) {
        var state = Fixtures.masterState(now: 1000)
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let holder = state.subscribeFramework(Fixtures.subscribe(name: "holder", role: "eng"), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: holder, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 2, mem: 1024),
        ], refuseSeconds: 3600), now: 1000)
        let hoarder = state.subscribeFramework(Fixtures.subscribe(name: "hoarder", role: "ops"), stream: "s2", now: 1000)
        XCTAssertEqual(state.allocate(now: 1000).offers.count, 1)
        return (state, holder, hoarder)
    }

    func testReportNamesStatesOffersAndShares() throws {
        let (state, holder, hoarder) = cluster()
        let builder = FairnessReportBuilder(state: state, offerTimeout: nil)
        let report = builder.report(state: state, now: 1015)
        XCTAssertEqual(report.time, 1015)
        let byName = Dictionary(uniqueKeysWithValues: report.frameworks.map { ($0.name, $0) })
        let holding = try XCTUnwrap(byName["holder"])
        let hoarding = try XCTUnwrap(byName["hoarder"])
        XCTAssertEqual(holding.frameworkID.value, holder)
        XCTAssertEqual(hoarding.frameworkID.value, hoarder)
        XCTAssertEqual(holding.roles, ["eng"])
        XCTAssertEqual(holding.state, .active)
        XCTAssertEqual(holding.dominantShare, 0.5, accuracy: 1e-9, "2 of 4 cpus")
        XCTAssertEqual(holding.dominantResource, "cpus")
        XCTAssertEqual(holding.allocated.first { $0.name == "cpus" }?.value, 2)
        XCTAssertEqual(holding.outstandingOffers, 0)
        XCTAssertFalse(holding.hoarding)

        XCTAssertEqual(hoarding.outstandingOffers, 1)
        XCTAssertEqual(hoarding.oldestOfferAgeSeconds, 15, accuracy: 1e-9)
        XCTAssertTrue(hoarding.hoarding, "an offer held 15 s > 10 s")
        XCTAssertEqual(hoarding.offered.first { $0.name == "cpus" }?.value, 2)
        XCTAssertEqual(hoarding.dominantShare, 0.75, accuracy: 1e-9, "offered resources count: 3072/4096 mem")

        XCTAssertEqual(report.cluster.total.map(\.name), ["cpus", "mem"])
        XCTAssertEqual(report.cluster.agents, 1)
        XCTAssertEqual(report.cluster.frameworks, 2)
        XCTAssertEqual(report.cluster.utilisation.first { $0.name == "cpus" }?.value ?? 0, 0.5, accuracy: 1e-9)
        XCTAssertEqual(Set(report.roles.map(\.role)), ["eng", "ops"])
    }

    func testHoardingThresholdFollowsTheOfferTimeout() {
        XCTAssertEqual(FairnessReportBuilder.hoardingThreshold(offerTimeout: nil), 10)
        XCTAssertEqual(FairnessReportBuilder.hoardingThreshold(offerTimeout: 8), 10)
        XCTAssertEqual(FairnessReportBuilder.hoardingThreshold(offerTimeout: 60), 30)
        let (state, _, _) = cluster()
        let report = FairnessReportBuilder(state: state, offerTimeout: 60).report(state: state, now: 1015)
        XCTAssertFalse(report.frameworks.contains(where: \.hoarding), "15 s is not hoarding with a 60 s offer timeout")
    }

    func testSuppressedDisconnectedAndRescindedAreShown() throws {
        var (state, holder, hoarder) = cluster()
        _ = state.suppress(frameworkID: holder, roles: [])
        _ = state.frameworkDisconnected(frameworkID: hoarder, streamID: "s2", now: 1001)
        let report = FairnessReportBuilder(state: state, offerTimeout: nil).report(state: state, now: 1002)
        let byID = Dictionary(uniqueKeysWithValues: report.frameworks.map { ($0.frameworkID.value, $0) })
        XCTAssertEqual(byID[holder]?.state, .suppressed)
        XCTAssertEqual(byID[hoarder]?.state, .disconnected)
        XCTAssertEqual(byID[hoarder]?.outstandingOffers, 0, "a disconnected framework's offers are withdrawn")
    }

    func testRescindedOffersAreCountedInTheReport() throws {
        var configuration = MasterState.Configuration()
        configuration.offerTimeout = 5
        var info = Fairway_V1_MasterInfo()
        info.id = "m1"
        var state = MasterState(configuration: configuration, masterInfo: info, now: 1000)
        _ = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(name: "slow"), stream: "s1", now: 1000)
        _ = state.allocate(now: 1000)
        _ = state.tick(now: 1006)
        let report = FairnessReportBuilder(state: state, offerTimeout: 5).report(state: state, now: 1006)
        XCTAssertEqual(report.frameworks.first { $0.frameworkID.value == frameworkID }?.offersRescinded, 1)
    }

    func testSampleCarriesSharesJainAndUtilisation() {
        let (state, _, _) = cluster()
        let report = FairnessReportBuilder(state: state, offerTimeout: nil).report(state: state, now: 1020)
        let sample = FairnessReportBuilder.sample(of: report)
        XCTAssertEqual(sample.time, 1020)
        XCTAssertEqual(sample.shares.map(\.name).sorted(), ["hoarder", "holder"])
        XCTAssertEqual(sample.jainIndex, report.cluster.jainIndex)
        XCTAssertEqual(sample.utilisation, report.cluster.utilisation)
        XCTAssertEqual(sample.shares.first { $0.name == "holder" }?.dominantShare ?? 0, 0.5, accuracy: 1e-9)
    }

    func testReportIsValidJSONInTheGetFairnessShape() throws {
        let (state, _, _) = cluster()
        var response = Fairway_V1_Master_Response.GetFairness()
        response.report = FairnessReportBuilder(state: state, offerTimeout: nil).report(state: state, now: 1020)
        let json = MesosJSON.encodeString(response)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let report = try XCTUnwrap(object["report"] as? [String: Any])
        let frameworks = try XCTUnwrap(report["frameworks"] as? [[String: Any]])
        XCTAssertEqual(frameworks.count, 2)
        XCTAssertNotNil(frameworks.first?["dominant_share"])
        XCTAssertTrue(frameworks.contains { ($0["state"] as? String) == "ACTIVE" })
        XCTAssertNil(object["history"], "no history unless asked for")
    }
}
