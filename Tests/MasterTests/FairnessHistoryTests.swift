import FairwayCore
import FairwayProto
import Foundation
import XCTest
@testable import Master

/// The fairness history in the registry: range queries, thinning of long ranges, retention.
final class FairnessHistoryTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairness-history-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func registry() throws -> Registry {
        try Registry(path: directory.appendingPathComponent("registry.sqlite").path)
    }

    private func sample(_ time: Double, share: Double = 0.5) -> Fairway_V1_FairnessSample {
        var sample = Fairway_V1_FairnessSample()
        sample.time = time
        sample.jainIndex = 1
        var entry = Fairway_V1_FairnessSample.Share()
        entry.frameworkID = "f1"
        entry.name = "one"
        entry.dominantShare = share
        entry.idealShare = 0.5
        sample.shares = [entry]
        return sample
    }

    func testRangeQueriesReturnSamplesInOrder() throws {
        let registry = try registry()
        for time in stride(from: 1000.0, through: 1100, by: 5) {
            try registry.appendFairnessSample(sample(time, share: time / 10_000), retention: 3600)
        }
        let samples = try registry.fairnessSamples(since: 1020, until: 1040)
        XCTAssertEqual(samples.map(\.time), [1020, 1025, 1030, 1035, 1040])
        XCTAssertEqual(samples.first?.shares.first?.dominantShare, 0.102)
        XCTAssertEqual(samples.first?.shares.first?.name, "one")
        XCTAssertTrue(try registry.fairnessSamples(since: 2000, until: 3000).isEmpty)
        XCTAssertEqual(try registry.fairnessSamples(since: 0, until: 5000).count, 21)
    }

    func testSamplesOlderThanTheRetentionAreDeletedOnWrite() throws {
        let registry = try registry()
        for time in stride(from: 0.0, through: 100, by: 10) {
            try registry.appendFairnessSample(sample(time), retention: 30)
        }
        XCTAssertEqual(try registry.fairnessSamples(since: 0, until: 1000).map(\.time), [70, 80, 90, 100])
        XCTAssertEqual(try registry.fairnessSampleCount(), 4)
    }

    func testLongRangesAreThinnedEvenly() throws {
        let registry = try registry()
        for time in 0..<1000 { try registry.appendFairnessSample(sample(Double(time)), retention: 1e9) }
        let thinned = try registry.fairnessSamples(since: 0, until: 999, limit: 100)
        XCTAssertEqual(thinned.count, 100)
        let gaps = Set(zip(thinned, thinned.dropFirst()).map { $1.time - $0.time })
        XCTAssertEqual(gaps, [10], "every 10th sample")
        XCTAssertEqual(thinned.first?.time, 0)
        let uneven = try registry.fairnessSamples(since: 0, until: 999, limit: 300)
        XCTAssertLessThanOrEqual(uneven.count, 300)
        XCTAssertGreaterThan(uneven.count, 200)
        XCTAssertGreaterThanOrEqual(uneven.last?.time ?? 0, 990, "the range stays covered to its end")
    }

    func testHistorySurvivesReopeningTheRegistry() throws {
        try registry().appendFairnessSample(sample(42), retention: 3600)
        XCTAssertEqual(try registry().fairnessSamples(since: 0, until: 100).map(\.time), [42])
    }

    func testQueryParsing() throws {
        let now = 100_000.0
        XCTAssertEqual(try FairnessQuery.parse([:], now: now).get(), FairnessQuery())
        XCTAssertEqual(try FairnessQuery.parse(["since": "30m"], now: now).get(), FairnessQuery(since: now - 1800))
        XCTAssertEqual(try FairnessQuery.parse(["since": "2h", "until": "1h"], now: now).get(),
                       FairnessQuery(since: now - 7200, until: now - 3600))
        XCTAssertEqual(try FairnessQuery.parse(["since": "1d"], now: now).get().since, now - 86400)
        XCTAssertEqual(try FairnessQuery.parse(["since": "90s"], now: now).get().since, now - 90)
        XCTAssertEqual(try FairnessQuery.parse(["since": "1700000000", "until": "1700000600"], now: now).get(),
                       FairnessQuery(since: 1_700_000_000, until: 1_700_000_600))
        for bad in [["since": "yesterday"], ["since": "-5m"], ["since": "5w"], ["until": "5m"],
                    ["since": "1h", "until": "2h"], ["since": ""]] {
            guard case .failure(let problem) = FairnessQuery.parse(bad, now: now) else { return XCTFail("\(bad) should be refused") }
            XCTAssertEqual(problem.kind, .invalid)
            XCTAssertFalse(problem.message.isEmpty)
        }
        XCTAssertEqual(DurationText.seconds("24h"), 86400)
        XCTAssertEqual(DurationText.seconds("300"), 300)
        XCTAssertEqual(DurationText.seconds("1.5m"), 90)
        XCTAssertNil(DurationText.seconds("300", bareNumberIsSeconds: false))
    }
}
