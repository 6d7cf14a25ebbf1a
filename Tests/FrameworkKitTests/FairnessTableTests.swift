import FairwayCore
import FairwayProto
@testable import FrameworkKit
import XCTest

final class FairnessTableTests: XCTestCase {
    func testFrameworkRowsAreAlignedWithSharesAsPercentages() {
        let table = FairnessTable(report: FairnessFixtures.report)
        XCTAssertEqual(table.frameworks.headers, ["ID", "NAME", "ROLE", "STATE", "DOMINANT", "SHARE", "WEIGHT", "IDEAL", "GAP", "DEMAND", "OFFERS"])
        XCTAssertEqual(table.frameworks.render(), """
        ID              NAME   ROLE       STATE         DOMINANT  SHARE  WEIGHT  IDEAL      GAP  DEMAND  OFFERS
        fw-3            -      *          disconnected  -          0.0%       1      -        -       -      0
        5c1e6f0a…-0001  spark  eng/batch  active        mem       66.7%       2  50.0%  +16.7pp       3      1!
        5c1e6f0a…-0002  web    eng/web    suppressed    cpus      25.0%       1  30.0%   -5.0pp       -      0
        """)
    }

    func testHoardingFrameworkIsMarkedAndExplained() {
        let table = FairnessTable(report: FairnessFixtures.report)
        let offers = table.frameworks.rows.map { $0[10] }
        XCTAssertEqual(offers, ["0 ", "1!", "0 "], "only spark is hoarding; the counts stay aligned")
        XCTAssertEqual(table.hoardingNotes, ["! spark (5c1e6f0a…-0001) holds 1 offer, the oldest unanswered for 2m 5s"])
        XCTAssertTrue(table.render().hasPrefix(table.frameworks.render() + "\n! spark (5c1e6f0a…-0001) holds 1 offer"), "the note follows the table")
    }

    func testRolesShowWeightsSharesAndQuota() {
        let table = FairnessTable(report: FairnessFixtures.report)
        XCTAssertEqual(table.roles.render(), """
        ROLE       WEIGHT  SHARE  IDEAL      GAP  FRAMEWORKS  QUOTA GUARANTEE/LIMIT
        eng             1  90.0%  80.0%  +10.0pp           2  cpus:4/8;mem:8G/-
        eng/batch       2  66.7%  50.0%  +16.7pp           1  -
        """)
    }

    func testClusterFooterHasTotalsUtilisationAndJainsIndex() {
        let table = FairnessTable(report: FairnessFixtures.report)
        XCTAssertEqual(table.resources.render(), """
        RESOURCE                  TOTAL  ALLOCATED  OFFERED  UTILISATION
        cpus                         12          6        2        50.0%
        gpus (not shared fairly)      2          0        0         0.0%
        mem                         24G        12G        0        50.0%
        """)
        XCTAssertEqual(table.clusterSummary, "3 agents, 3 frameworks; Jain's fairness index 0.973 over 2 frameworks with unmet demand")
        XCTAssertTrue(table.render().hasSuffix(table.resources.render() + "\n" + table.clusterSummary))
    }

    func testEmptyClusterSaysSo() {
        var report = Fairway_V1_FairnessReport()
        report.cluster.agents = 1
        report.cluster.frameworks = 0
        report.cluster.jainIndex = 1
        let text = FairnessTable(report: report).render()
        XCTAssertEqual(text, """
        no frameworks are registered with the master

        1 agent, 0 frameworks; Jain's fairness index 1 (fewer than two frameworks with unmet demand)
        """)
    }

    func testFormatting() {
        XCTAssertEqual(QuantityFormat.percent(2.0 / 3.0), "66.7%")
        XCTAssertEqual(QuantityFormat.percent(1), "100.0%")
        XCTAssertEqual(QuantityFormat.points(-0.05), "-5.0pp")
        XCTAssertEqual(QuantityFormat.points(0.1234), "+12.3pp")
        XCTAssertEqual(QuantityFormat.points(-0.0004), "0.0pp", "no sign on a gap that rounds to nothing")
        XCTAssertEqual(QuantityFormat.age(45), "45s")
        XCTAssertEqual(QuantityFormat.age(3780), "1h 3m")
        XCTAssertEqual(FairnessTable.shortID("fw-3"), "fw-3")
        XCTAssertEqual(FairnessTable.shortID("\(FairnessFixtures.masterID)-0012"), "5c1e6f0a…-0012")
        XCTAssertEqual(FairnessTable.quota(guarantee: [], limit: FairnessFixtures.quantities(["gpus": 1])), "gpus:-/1")
    }

    func testHistorySummary() {
        let utc = TimeZone(identifier: "UTC") ?? .current
        XCTAssertEqual(FairnessTable.historySummary(FairnessFixtures.history, timeZone: utc),
                       "history: 11 samples from 22:13:20 to 22:23:20; Jain's index min 0.9, mean 0.925, latest 0.95")
        XCTAssertEqual(FairnessTable.historySummary(Fairway_V1_FairnessHistory(), timeZone: utc), "history: no samples in that range")
    }

    func testClientDecodesMesosJSONIgnoringUnknownFields() throws {
        let body = """
        {"report":{"time":1700000000,"cluster":{"total":[{"name":"cpus","value":12}],"jain_index":1,"agents":2,"added_later":[1]},
          "frameworks":[{"framework_id":{"value":"F1"},"name":"a","roles":["eng"],"state":"SUPPRESSED","dominant_share":0.5,
                         "hoarding":true,"outstanding_offers":2,"offers_rescinded":7}]},
         "history":{"samples":[{"time":1700000000,"shares":[{"framework_id":"F1","dominant_share":0.5,"ideal_share":0.25}]}]}}
        """
        let response = try FairnessClient.decode(Array(body.utf8))
        XCTAssertEqual(response.report.frameworks.first?.state, .suppressed)
        XCTAssertEqual(response.report.frameworks.first?.offersRescinded, 7)
        XCTAssertEqual(response.report.cluster.agents, 2)
        XCTAssertEqual(response.history.samples.first?.shares.first?.idealShare, 0.25)
        XCTAssertThrowsError(try FairnessClient.decode(Array("{\"history\":{}}".utf8)), "a report is required")
    }

    func testQueryAndTimeBounds() throws {
        XCTAssertEqual(FairnessClient.path(since: nil, until: nil), "/fairness")
        XCTAssertEqual(FairnessClient.path(since: try FairnessTimeBound(parsing: "30m"), until: nil), "/fairness?since=30m")
        XCTAssertEqual(FairnessClient.path(since: try FairnessTimeBound(parsing: "1700000000"), until: try FairnessTimeBound(parsing: "1h30m")),
                       "/fairness?since=1700000000&until=1h30m")
        XCTAssertEqual(try FairnessTimeBound(parsing: "1h30m").kind, .ago(5400))
        XCTAssertEqual(try FairnessTimeBound(parsing: "2d").resolve(now: 200_000), 200_000 - 172_800)
        XCTAssertEqual(try FairnessTimeBound(parsing: "2023-11-14T22:13:20Z").queryValue, "1700000000")
        XCTAssertEqual(FairnessTimeBound(kind: .ago(3600)).queryValue, "1h")
        for bad in ["", "m", "30x", "-5", "yesterday", "1.2.3s"] {
            XCTAssertThrowsError(try FairnessTimeBound(parsing: bad), bad) { error in
                XCTAssertTrue(String(describing: error).contains("30m"), "the error shows the forms understood")
            }
        }
    }
}
