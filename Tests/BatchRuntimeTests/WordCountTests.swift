@testable import BatchRuntime
import Foundation
import XCTest

/// A whole map → reduce word count through the runtime's API with real `sh` commands, the maps'
/// outputs found through an agent's `/state` and read from disk (same agent) or downloaded through
/// the agent's real file endpoint (another agent).
final class WordCountTests: XCTestCase {
    private var directory: TestDirectory!

    override func setUp() async throws {
        directory = try TestDirectory("wordcount")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    private let mapCount = 4
    private let reduceCount = 3

    /// Runs the maps into sandboxes under `sandboxes/`; returns the corpus and the maps' counters.
    private func runMaps(combiner: String? = nil) async throws -> (corpus: [UInt8], counters: [MapCounters]) {
        let corpus = wordCorpus(size: 300_000)
        let input = try directory.write("input.txt", corpus)
        var counters: [MapCounters] = []
        for (index, split) in try splits(of: input, count: mapCount).enumerated() {
            let options = MapTaskOptions(split: split, partitions: reduceCount, mapper: wordCountMapper, combiner: combiner,
                                         environment: taskEnvironment(sandbox: directory.file("sandboxes/map-\(index)")))
            counters.append(try await MapTask(options: options).run())
        }
        return (corpus, counters)
    }

    private var mapTasks: [AgentTaskEntry] {
        (0..<mapCount).map { AgentTaskEntry(id: "map-\($0)", sandbox: directory.file("sandboxes/map-\($0)")) }
    }

    private func locations(agentID: String, url: String) -> [MapOutputLocation] {
        (0..<mapCount).map { MapOutputLocation(mapIndex: $0, agentID: agentID, agentURL: url, taskID: "map-\($0)") }
    }

    /// Runs every reduce; returns the job's counts read back from `output/`.
    private func runReduces(localAgentID: String, maps: [MapOutputLocation], output: String) async throws -> ([String: Int], [ReduceOutcome]) {
        var outcomes: [ReduceOutcome] = []
        for partition in 0..<reduceCount {
            let options = ReduceTaskOptions(partition: partition, reducer: sumReducer, outputDirectory: directory.file(output),
                                            attemptID: "reduce-\(partition)-attempt-0", maps: maps,
                                            environment: taskEnvironment(sandbox: directory.file("sandboxes/reduce-\(partition)"),
                                                                         agentID: localAgentID))
            outcomes.append(try await ReduceTask(options: options).run())
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.file(output)).sorted(),
                       ["part-00000", "part-00001", "part-00002"])
        var counts: [String: Int] = [:]
        let partitioner = StablePartitioner(partitions: reduceCount)
        for partition in 0..<reduceCount {
            let partCounts = parseCounts(try readText(directory.file("\(output)/part-0000\(partition)")))
            for (word, count) in partCounts {
                XCTAssertEqual(partitioner.partition(ofKey: word), partition, "\(word) is in the wrong partition")
                XCTAssertNil(counts[word], "\(word) appears in two partitions")
                counts[word] = count
            }
        }
        return (counts, outcomes)
    }

    func testWordCountMatchesACountComputedInSwift() async throws {
        let (corpus, mapCounters) = try await runMaps()
        let expected = swiftWordCount(corpus)
        XCTAssertGreaterThan(expected.count, 300)
        XCTAssertEqual(mapCounters.map(\.outputRecords).reduce(0, +), Int64(expected.values.reduce(0, +)))
        XCTAssertEqual(mapCounters.map(\.inputBytes).reduce(0, +), Int64(corpus.count))

        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: mapTasks) { url, log in
            let (counts, outcomes) = try await runReduces(localAgentID: "agent-1", maps: locations(agentID: "agent-1", url: url), output: "out")
            XCTAssertEqual(counts, expected)
            XCTAssertTrue(outcomes.allSatisfy(\.committed))
            XCTAssertEqual(outcomes.map(\.counters.localReads), [4, 4, 4])
            XCTAssertEqual(outcomes.map(\.counters.remoteFetches), [0, 0, 0])
            XCTAssertEqual(outcomes.map(\.counters.inputRecords).reduce(0, +), Int64(expected.values.reduce(0, +)))
            XCTAssertEqual(outcomes.map(\.counters.outputRecords).reduce(0, +), Int64(expected.count))
            // One /state per reduce task (all maps are on one agent), no downloads.
            let states = await log.count("/state")
            let downloads = await log.count("/files/download")
            XCTAssertEqual(states, 3)
            XCTAssertEqual(downloads, 0)
        }
        let counters = try JSONDecoder().decode(ReduceCounters.self, from: Data(try readBytes(directory.file("sandboxes/reduce-0/counters.json"))))
        XCTAssertEqual(counters.localReads, 4)
        XCTAssertFalse(fileExists(directory.file("out/_temporary")))
    }

    func testACombinerGivesTheSameCounts() async throws {
        let (corpus, mapCounters) = try await runMaps(combiner: sumReducer)
        let combineIn = mapCounters.map(\.combineInputRecords).reduce(0, +)
        let combineOut = mapCounters.map(\.combineOutputRecords).reduce(0, +)
        XCTAssertEqual(combineIn, mapCounters.map(\.outputRecords).reduce(0, +))
        XCTAssertLessThan(combineOut * 4, combineIn, "the combiner should shrink word-count output a lot")
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: mapTasks) { url, _ in
            let (counts, outcomes) = try await runReduces(localAgentID: "agent-1", maps: locations(agentID: "agent-1", url: url), output: "out")
            XCTAssertEqual(counts, swiftWordCount(corpus))
            XCTAssertEqual(outcomes.map(\.counters.inputRecords).reduce(0, +), combineOut)
        }
    }

    func testMapOutputsOnAnotherAgentAreDownloadedThroughItsFileEndpoint() async throws {
        let (corpus, _) = try await runMaps()
        try await withTestAgent(agentID: "agent-A", sandboxRoot: directory.file("sandboxes"), tasks: mapTasks) { url, log in
            let (counts, outcomes) = try await runReduces(localAgentID: "agent-B", maps: locations(agentID: "agent-A", url: url), output: "out")
            XCTAssertEqual(counts, swiftWordCount(corpus))
            XCTAssertEqual(outcomes.map(\.counters.remoteFetches), [4, 4, 4])
            XCTAssertEqual(outcomes.map(\.counters.localReads), [0, 0, 0])
            let states = await log.count("/state")
            let downloads = await log.count("/files/download")
            XCTAssertEqual(states, 3, "one /state per agent per reduce")
            XCTAssertEqual(downloads, 12)
        }
        // The downloads were cleaned out of the reduce sandboxes.
        XCTAssertFalse(fileExists(directory.file("sandboxes/reduce-0/reduce-input")))
    }
}
