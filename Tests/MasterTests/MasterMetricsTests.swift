import Allocator
import FairwayCore
import FairwayProto
import XCTest
@testable import Master

/// `GET /metrics` rendering: Prometheus text format 0.0.4 with HELP and TYPE lines, escaped
/// labels, shares, counters and the allocation histogram.
final class MasterMetricsTests: XCTestCase {
    private func render(name: String = "batch") -> (String, frameworkID: String) {
        var state = Fixtures.masterState(now: 1000)
        let agentID = state.addAgent(Fixtures.register(resources: "cpus:4;mem:4096"), stream: "a1", now: 1000)
        let frameworkID = state.subscribeFramework(Fixtures.subscribe(name: name, role: "eng"), stream: "s1", now: 1000)
        let offer = state.allocate(now: 1000).offers[0]
        _ = state.accept(frameworkID: frameworkID, Fixtures.accept([offer.id.value], tasks: [
            Fixtures.task("t1", agentID: agentID, cpus: 1, mem: 2048),
        ], refuseSeconds: 0), now: 1000)
        _ = state.allocate(now: 1001)
        var histogram = LatencyHistogram()
        histogram.record(0.00005)
        histogram.record(0.003)
        histogram.record(2)
        let published = PublishedMaster(state: state, flags: [], allocationLatency: histogram, offerTimeout: nil)
        let analysis = FairnessAnalysis(state.allocator.fairnessSnapshot())
        return (MasterMetrics.render(published, analysis: analysis), frameworkID)
    }

    private func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    func testEveryFamilyHasHelpAndTypeBeforeItsSamples() {
        let (text, _) = render()
        var declared: Set<String> = []
        var typed: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") { declared.insert(String(line.split(separator: " ")[2])) ; continue }
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])) ; continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family = ["_bucket", "_sum", "_count"].reduce(name) { name, suffix in
                name.hasSuffix(suffix) && typed.contains(String(name.dropLast(suffix.count))) ? String(name.dropLast(suffix.count)) : name
            }
            XCTAssertTrue(declared.contains(family) && typed.contains(family), "\(name) has HELP and TYPE before it")
        }
        for family in ["fairway_framework_dominant_share", "fairway_framework_ideal_share", "fairway_framework_allocated",
                       "fairway_framework_offered", "fairway_role_dominant_share", "fairway_role_allocated",
                       "fairway_cluster_total", "fairway_cluster_allocated", "fairway_jain_index",
                       "fairway_offers_sent_total", "fairway_offers_declined_total", "fairway_offers_accepted_total",
                       "fairway_offers_rescinded_total", "fairway_allocation_runs_total",
                       "fairway_allocation_duration_seconds", "fairway_agents", "fairway_frameworks",
                       "fairway_offers_outstanding"] {
            XCTAssertTrue(typed.contains(family), "missing \(family)")
        }
        XCTAssertTrue(text.contains("# TYPE fairway_offers_sent_total counter"))
        XCTAssertTrue(text.contains("# TYPE fairway_allocation_duration_seconds histogram"))
        XCTAssertTrue(text.contains("# TYPE fairway_framework_dominant_share gauge"))
        XCTAssertTrue(text.hasSuffix("\n"))
    }

    func testValuesOfSharesAllocationsAndCounters() {
        let (text, frameworkID) = render()
        XCTAssertEqual(value(text, #"fairway_framework_dominant_share{framework_id="\#(frameworkID)",name="batch",role="eng"}"#) ?? -1,
                       1, accuracy: 1e-9, "holds a task and the rest of the agent on offer")
        XCTAssertEqual(value(text, #"fairway_framework_allocated{framework_id="\#(frameworkID)",resource="mem"}"#), 2048)
        XCTAssertEqual(value(text, #"fairway_framework_offered{framework_id="\#(frameworkID)",resource="cpus"}"#), 3)
        XCTAssertEqual(value(text, #"fairway_role_allocated{role="eng",resource="cpus"}"#), 1)
        XCTAssertEqual(value(text, #"fairway_cluster_total{resource="mem"}"#), 4096)
        XCTAssertEqual(value(text, #"fairway_cluster_allocated{resource="cpus"}"#), 1)
        XCTAssertEqual(value(text, "fairway_offers_sent_total"), 2)
        XCTAssertEqual(value(text, "fairway_offers_accepted_total"), 1)
        XCTAssertEqual(value(text, #"fairway_framework_offers_sent_total{framework_id="\#(frameworkID)"}"#), 2)
        XCTAssertEqual(value(text, "fairway_allocation_runs_total"), 2)
        XCTAssertEqual(value(text, "fairway_agents"), 1)
        XCTAssertEqual(value(text, "fairway_frameworks"), 1)
        XCTAssertEqual(value(text, "fairway_offers_outstanding"), 1)
        XCTAssertEqual(value(text, "fairway_jain_index"), 1)
    }

    func testHistogramBucketsAreCumulativeAndEndInInf() {
        let (text, _) = render()
        XCTAssertEqual(value(text, #"fairway_allocation_duration_seconds_bucket{le="0.0001"}"#), 1)
        XCTAssertEqual(value(text, #"fairway_allocation_duration_seconds_bucket{le="0.0025"}"#), 1)
        XCTAssertEqual(value(text, #"fairway_allocation_duration_seconds_bucket{le="0.005"}"#), 2)
        XCTAssertEqual(value(text, #"fairway_allocation_duration_seconds_bucket{le="1"}"#), 2)
        XCTAssertEqual(value(text, #"fairway_allocation_duration_seconds_bucket{le="+Inf"}"#), 3)
        XCTAssertEqual(value(text, "fairway_allocation_duration_seconds_count"), 3)
        XCTAssertEqual(value(text, "fairway_allocation_duration_seconds_sum") ?? 0, 2.00305, accuracy: 1e-9)
    }

    func testLabelValuesAreEscaped() {
        let (text, frameworkID) = render(name: "we\"ird\\name\nx")
        XCTAssertTrue(text.contains(#"framework_id="\#(frameworkID)",name="we\"ird\\name\nx",role="eng"}"#), text)
        XCTAssertFalse(text.split(separator: "\n").contains { $0 == "x\",role=\"eng\"} 1" }, "no raw newline inside a label")
    }

    func testNumberFormatting() {
        XCTAssertEqual(PrometheusText.format(3), "3")
        XCTAssertEqual(PrometheusText.format(0.25), "0.25")
        XCTAssertEqual(PrometheusText.format(.infinity), "+Inf")
        XCTAssertEqual(PrometheusText.format(.nan), "NaN")
    }
}
