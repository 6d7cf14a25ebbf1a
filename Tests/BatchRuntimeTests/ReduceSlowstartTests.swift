import BatchCore
@testable import BatchRuntime
import FairwayHTTP
import Foundation
import Logging
import FairwayTesting
import XCTest

/// What the batch framework's `GET /jobs/ID/map-outputs` answers, changed by the test as maps "finish".
actor MapOutputsFeed {
    private(set) var document: MapOutputsDocument
    private(set) var polls = 0

    init(_ document: MapOutputsDocument) { self.document = document }

    func set(_ document: MapOutputsDocument) { self.document = document }

    func answer() -> MapOutputsDocument {
        polls += 1
        return document
    }
}

struct MapOutputsFeedHandler: HTTPHandler {
    let feed: MapOutputsFeed

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        guard request.path == "/jobs/job-1/map-outputs" else { return .response(.text(.notFound, "No job")) }
        let body = (try? JSONEncoder().encode(await feed.answer())) ?? Data()
        return .response(.json(Array(body)))
    }
}

/// Reduces started before every map is done: they poll the framework for the outputs of later maps.
final class ReduceSlowstartTests: XCTestCase {
    private var directory: TestDirectory!

    override func setUp() async throws {
        directory = try TestDirectory("slowstart")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    private func writeMapOutputs() throws -> [AgentTaskEntry] {
        _ = try directory.write("sandboxes/map-0/map-output/part-00000", Array("apple\t1\ncherry\t1\n".utf8))
        _ = try directory.write("sandboxes/map-1/map-output/part-00000", Array("banana\t1\ncherry\t3\n".utf8))
        _ = try directory.write("sandboxes/map-2/map-output/part-00000", Array("apple\t5\n".utf8))
        return (0..<3).map { AgentTaskEntry(id: "map-\($0)", sandbox: directory.file("sandboxes/map-\($0)")) }
    }

    private func withFeed<T>(_ document: MapOutputsDocument,
                             _ body: (_ url: String, _ feed: MapOutputsFeed) async throws -> T) async throws -> T {
        let feed = MapOutputsFeed(document)
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: MapOutputsFeedHandler(feed: feed),
                                                logger: Logger(label: "fairway.test.feed"))
        do {
            let result = try await body("http://127.0.0.1:\(server.port)/jobs/job-1/map-outputs", feed)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    private func options(feedURL: String, attempt: String, launchedWith maps: [MapOutputLocation]) -> ReduceTaskOptions {
        var options = ReduceTaskOptions(partition: 0, reducer: "cat", outputDirectory: directory.file("out"), attemptID: attempt,
                                        maps: maps, environment: taskEnvironment(sandbox: directory.file("sandboxes/\(attempt)"),
                                                                                 agentID: "agent-reduce"),
                                        fetchAttempts: 1, stateTimeout: 2, mapOutputsURL: feedURL, totalMaps: 3)
        options.pollInterval = 0.05
        options.refetchDelay = 0.1
        return options
    }

    private func output(_ index: Int, url: String) -> MapOutputsDocument.Output {
        MapOutputsDocument.Output(index: index, agentID: "agent-1", url: url, taskID: "map-\(index)")
    }

    func testAReduceStartedEarlyFetchesMapsAsTheyFinishAndMergesOnlyWithAllOfThem() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { agentURL, log in
            try await withFeed(MapOutputsDocument(maps: 3, state: "running", outputs: [output(0, url: agentURL)])) { feedURL, feed in
                let launched = [MapOutputLocation(mapIndex: 0, agentID: "agent-1", agentURL: agentURL, taskID: "map-0")]
                let reduceOptions = options(feedURL: feedURL, attempt: "r0", launchedWith: launched)
                let reduce = Task { try await ReduceTask(options: reduceOptions).run() }
                try await waitUntil("the reduce polled a few times") { await feed.polls >= 3 }
                XCTAssertFalse(fileExists(directory.file("out/part-00000")), "no merge before every map is fetched")
                // Map 2 finishes, then map 1.
                await feed.set(MapOutputsDocument(maps: 3, state: "running", outputs: [output(0, url: agentURL), output(2, url: agentURL)]))
                let polled = await feed.polls
                try await waitUntil("the reduce polled again") { await feed.polls >= polled + 3 }
                XCTAssertFalse(fileExists(directory.file("out/part-00000")), "2 of 3 maps are not enough")
                await feed.set(MapOutputsDocument(maps: 3, state: "running", outputs: (0..<3).map { output($0, url: agentURL) }))
                let outcome = try await reduce.value
                XCTAssertTrue(outcome.committed)
                XCTAssertEqual(outcome.counters.inputRecords, 5)
                XCTAssertEqual(outcome.counters.remoteFetches, 3)
                // Every map output was downloaded exactly once.
                let downloads = await log.count("/files/download")
                XCTAssertEqual(downloads, 3)
            }
        }
        XCTAssertEqual(try readText(directory.file("out/part-00000")),
                       "apple\t1\napple\t5\nbanana\t1\ncherry\t1\ncherry\t3\n", "by key, equal keys in map order")
    }

    func testAMapWhoseAgentIsGoneIsFetchedFromItsNewLocation() async throws {
        let tasks = try writeMapOutputs()
        // A port that was just served and is now closed: map 1's first agent, lost.
        let deadURL = try await withTestAgent(agentID: "agent-gone", sandboxRoot: directory.file("sandboxes"), tasks: []) { url, _ in url }
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { agentURL, _ in
            let first = [output(0, url: agentURL), MapOutputsDocument.Output(index: 1, agentID: "agent-gone", url: deadURL, taskID: "map-1"),
                         output(2, url: agentURL)]
            try await withFeed(MapOutputsDocument(maps: 3, state: "running", outputs: first)) { feedURL, feed in
                let reduceOptions = options(feedURL: feedURL, attempt: "r1", launchedWith: [])
                let reduce = Task { try await ReduceTask(options: reduceOptions).run() }
                try await waitUntil("the reduce polled a few times") { await feed.polls >= 5 }
                XCTAssertFalse(fileExists(directory.file("out/part-00000")))
                // The framework re-ran map 1 on agent-1.
                await feed.set(MapOutputsDocument(maps: 3, state: "running", outputs: (0..<3).map { output($0, url: agentURL) }))
                let outcome = try await reduce.value
                XCTAssertTrue(outcome.committed)
                XCTAssertEqual(outcome.counters.inputRecords, 5)
            }
        }
    }

    func testAReduceStopsWaitingWhenTheJobIsNoLongerRunning() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { agentURL, _ in
            try await withFeed(MapOutputsDocument(maps: 3, state: "running", outputs: [output(0, url: agentURL)])) { feedURL, feed in
                let reduceOptions = options(feedURL: feedURL, attempt: "r2", launchedWith: [])
                let reduce = Task { await MapReduceTaskRunner.runReduce(reduceOptions) }
                try await waitUntil("the reduce polled a few times") { await feed.polls >= 3 }
                await feed.set(MapOutputsDocument(maps: 3, state: "killed", outputs: [output(0, url: agentURL)]))
                let status = await reduce.value
                XCTAssertNotEqual(status, 0)
            }
        }
        XCTAssertFalse(fileExists(directory.file("out/part-00000")), "nothing is committed")
    }

    func testAnUnknownJobEndsThePollingWithAClearMessage() async throws {
        try await withFeed(MapOutputsDocument(maps: 3, state: "running", outputs: [])) { feedURL, _ in
            let url = feedURL.replacingOccurrences(of: "job-1", with: "job-9")
            do {
                _ = try await ReduceTask(options: options(feedURL: url, attempt: "r4", launchedWith: [])).run()
                XCTFail("the reduce should fail")
            } catch let error as BatchRuntimeError {
                XCTAssertTrue(error.message.contains("no longer knows this job"), error.message)
                XCTAssertNotEqual(error.exitStatus, 0)
            }
        }
    }

    func testPollingNeedsTheNumberOfMaps() async {
        var options = options(feedURL: "http://127.0.0.1:1/jobs/job-1/map-outputs", attempt: "r5", launchedWith: [])
        options.totalMaps = nil
        let status = await MapReduceTaskRunner.runReduce(options)
        XCTAssertEqual(status, BatchRuntimeError.usageStatus)
    }
}
