import FairwayProto
import FairwayTesting
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import FrameworkKit
import XCTest

final class SharesChartTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC") ?? .current

    func testChartIsXMLWithOneSeriesPerFramework() throws {
        let svg = SharesChart(history: FairnessFixtures.history, timeZone: utc).render()
        let document = try SVGDocument(svg)
        XCTAssertEqual(document.root, "svg")
        XCTAssertEqual(document.seriesFrameworks.sorted(),
                       ["\(FairnessFixtures.masterID)-0001", "\(FairnessFixtures.masterID)-0002", "fw-<3>"].sorted())
        XCTAssertEqual(document.polylines["actual"], 3, "a solid line per framework")
        XCTAssertEqual(document.polylines["ideal"], 3, "a dashed ideal line per framework")
        XCTAssertTrue(document.texts.contains("Dominant shares"), "a title")
        for name in ["spark", "web", #"a<b&"c""#] {
            XCTAssertTrue(document.texts.contains(name), "legend names \(name)")
        }
        for label in ["0%", "20%", "100%", "dominant share", "22:14", "22:20", "time (UTC)"] {
            XCTAssertTrue(document.texts.contains(label), "axis label \(label) in \(document.texts)")
        }
    }

    func testNamesAreEscaped() throws {
        let svg = SharesChart(history: FairnessFixtures.history, title: #"<shares> & "more""#, timeZone: utc).render()
        XCTAssertTrue(svg.contains("a&lt;b&amp;&quot;c&quot;"), "the name is escaped")
        XCTAssertFalse(svg.contains(#"a<b&"c""#))
        XCTAssertTrue(svg.contains(#"data-framework="fw-&lt;3&gt;""#))
        let document = try SVGDocument(svg)
        XCTAssertTrue(document.texts.contains(#"<shares> & "more""#), "the title reads back as given")

        var history = FairnessFixtures.history
        history.samples[0].shares[0].name = "bell\u{7}\u{0}-\u{1B}[31m"
        XCTAssertNoThrow(try SVGDocument(SharesChart(history: history, timeZone: utc).render()),
                         "characters XML forbids are dropped")
    }

    func testEmptyHistorySaysNoSamples() throws {
        let svg = SharesChart(history: Fairway_V1_FairnessHistory(), timeZone: utc).render()
        let document = try SVGDocument(svg)
        XCTAssertEqual(document.seriesFrameworks, [])
        XCTAssertTrue(document.texts.contains("no samples"), "\(document.texts)")

        let ranged = try SVGDocument(SharesChart(history: Fairway_V1_FairnessHistory(), timeRange: 1_700_000_000...1_700_003_600,
                                                 timeZone: utc).render())
        XCTAssertTrue(ranged.texts.contains("no samples"))
    }

    func testLineBreaksWhereAFrameworkIsMissing() throws {
        var history = Fairway_V1_FairnessHistory()
        history.samples = (0..<6).map { index in
            var shares = [FairnessFixtures.share("A", "always", 0.5, ideal: 0.5)]
            if index != 2 { shares.append(FairnessFixtures.share("B", "gappy", 0.25)) }
            if index == 5 { shares.append(FairnessFixtures.share("C", "late", 0.1, ideal: 0.1)) }
            return FairnessFixtures.sample(1_700_000_000 + 5 * Double(index), shares)
        }
        let series = SharesChart.series(of: history)
        XCTAssertEqual(series.map(\.name), ["always", "gappy", "late"])
        XCTAssertEqual(series.map { $0.runs.map(\.count) }, [[6], [2, 3], [1]])

        let document = try SVGDocument(SharesChart(history: history, timeZone: utc).render())
        XCTAssertEqual(document.seriesFrameworks, ["A", "B", "C"])
        XCTAssertEqual(document.polylines["actual"], 3, "A's line, and B's in two pieces")
        XCTAssertEqual(document.polylines["ideal"], 1, "only A has an ideal over several samples; B has none")
        XCTAssertEqual(document.circles, 2, "C's single sample shows as a dot, actual and ideal")
    }

    func testLongLegendMakesTheChartTaller() throws {
        var history = Fairway_V1_FairnessHistory()
        history.samples = [0.0, 5].map { time in
            FairnessFixtures.sample(time, (0..<40).map { FairnessFixtures.share("F\($0)", "framework-\($0)", Double($0) / 40) })
        }
        let document = try SVGDocument(SharesChart(history: history, timeZone: utc).render())
        XCTAssertEqual(document.seriesFrameworks.count, 40)
        let height = try XCTUnwrap(Double(document.rootAttributes["height"] ?? ""))
        let lastEntry = try XCTUnwrap(document.textPositions["ideal (DRF)"])
        XCTAssertLessThan(lastEntry, height, "the legend's last line is inside the chart")
        XCTAssertGreaterThan(height, 540)
    }

    func testSharesMapToHeightAndTimesToRoundTicks() {
        let ticks = SharesChart.timeTicks(from: 1_700_000_000, to: 1_700_003_600, timeZone: utc)
        XCTAssertEqual(ticks.step, 600)
        XCTAssertEqual(ticks.times.map { SharesChart.clockLabel($0, seconds: false, timeZone: utc) },
                       ["22:20", "22:30", "22:40", "22:50", "23:00", "23:10"])
        let short = SharesChart.timeTicks(from: 1_700_000_000, to: 1_700_000_030, timeZone: utc)
        XCTAssertEqual(short.step, 5)
        XCTAssertEqual(SharesChart.clockLabel(short.times[0], seconds: true, timeZone: utc), "22:13:20")

        var history = Fairway_V1_FairnessHistory()
        history.samples = [FairnessFixtures.sample(0, [FairnessFixtures.share("A", "a", 1)]),
                           FairnessFixtures.sample(10, [FairnessFixtures.share("A", "a", 0)])]
        let svg = SharesChart(history: history, timeZone: utc).render()
        XCTAssertTrue(svg.contains(#"points="64.0,64.0 740.0,484.0""#), "100% at the top left, 0% at the bottom right:\n\(svg)")
        XCTAssertEqual(svg, SharesChart(history: history, timeZone: utc).render(), "the same history draws the same bytes")
    }
}
