@testable import BatchRuntime
import Foundation
import XCTest

final class ReduceTaskTests: XCTestCase {
    private var directory: TestDirectory!

    override func setUp() async throws {
        directory = try TestDirectory("reduce")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    /// Two maps whose partition 0 holds sorted records, as a map task writes them.
    private func writeMapOutputs() throws -> [AgentTaskEntry] {
        _ = try directory.write("sandboxes/map-0/map-output/part-00000", Array("apple\t1\ncherry\t1\ncherry\t2\n".utf8))
        _ = try directory.write("sandboxes/map-1/map-output/part-00000", Array("banana\t1\ncherry\t3\n".utf8))
        return (0..<2).map { AgentTaskEntry(id: "map-\($0)", sandbox: directory.file("sandboxes/map-\($0)")) }
    }

    private func reduceOptions(url: String, reducer: String, attempt: String, agentID: String = "agent-1",
                               maps: [MapOutputLocation]? = nil) -> ReduceTaskOptions {
        let locations = maps ?? (0..<2).map { MapOutputLocation(mapIndex: $0, agentID: "agent-1", agentURL: url, taskID: "map-\($0)") }
        return ReduceTaskOptions(partition: 0, reducer: reducer, outputDirectory: directory.file("out"), attemptID: attempt,
                                 maps: locations, environment: taskEnvironment(sandbox: directory.file("sandboxes/\(attempt)"), agentID: agentID),
                                 fetchAttempts: 1, stateTimeout: 2)
    }

    func testTheReducerGetsAllMapsMergedByKeyWithMapOrderForEqualKeys() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            let outcome = try await ReduceTask(options: reduceOptions(url: url, reducer: #"cat; echo "partition=$mapreduce_task_partition""#,
                                                                      attempt: "a0")).run()
            XCTAssertTrue(outcome.committed)
            XCTAssertEqual(outcome.outputPath, directory.file("out/part-00000"))
            XCTAssertEqual(outcome.counters.inputRecords, 5)
            XCTAssertEqual(outcome.counters.outputRecords, 6)
        }
        XCTAssertEqual(try readText(directory.file("out/part-00000")),
                       "apple\t1\nbanana\t1\ncherry\t1\ncherry\t2\ncherry\t3\npartition=0\n")
    }

    func testManyMapsAreMergedInRoundsWithTheSameResult() async throws {
        // Ten maps, each with sorted records whose keys repeat across maps; the reducer must see
        // them by key and, for equal keys, in map order — also when merged three at a time.
        var random = TestRandom(state: 5)
        var tasks: [AgentTaskEntry] = []
        var all: [(key: String, map: Int, line: String)] = []
        for map in 0..<10 {
            let records = (0..<(50 + random.next(50))).map { _ in "key\(random.next(40))" }.sorted()
            let lines = records.enumerated().map { "\($0.element)\tmap\(map)-\($0.offset)" }
            _ = try directory.write("sandboxes/map-\(map)/map-output/part-00000", Array(lines.map { $0 + "\n" }.joined().utf8))
            tasks.append(AgentTaskEntry(id: "map-\(map)", sandbox: directory.file("sandboxes/map-\(map)")))
            all += zip(records, lines).map { ($0, map, $1) }
        }
        let expected = all.enumerated().sorted { left, right in
            left.element.key == right.element.key ? left.offset < right.offset
                : Array(left.element.key.utf8).lexicographicallyPrecedes(Array(right.element.key.utf8))
        }.map { $0.element.line + "\n" }.joined()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            for fanIn in [100, 3] {
                let maps = (0..<10).map { MapOutputLocation(mapIndex: $0, agentID: "agent-1", agentURL: url, taskID: "map-\($0)") }
                var options = reduceOptions(url: url, reducer: "cat", attempt: "fan-in-\(fanIn)", maps: maps)
                options.outputDirectory = directory.file("out-\(fanIn)")
                options.mergeFanIn = fanIn
                let outcome = try await ReduceTask(options: options).run()
                XCTAssertEqual(outcome.counters.inputRecords, Int64(all.count))
                XCTAssertEqual(try readText(directory.file("out-\(fanIn)/part-00000")), expected, "fan-in \(fanIn)")
                XCTAssertFalse(fileExists(directory.file("sandboxes/fan-in-\(fanIn)/reduce-input")))
            }
        }
    }

    func testTwoAttemptsCommittingOnePartitionLeaveExactlyOneAttemptsRecords() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            let optionsA = reduceOptions(url: url, reducer: #"sed 's/$/\tfrom-A/'"#, attempt: "attempt-A")
            let optionsB = reduceOptions(url: url, reducer: #"sed 's/$/\tfrom-B/'"#, attempt: "attempt-B")
            async let first = ReduceTask(options: optionsA).run()
            async let second = ReduceTask(options: optionsB).run()
            let outcomes = try await [first, second]
            XCTAssertEqual(outcomes.filter(\.committed).count, 1, "exactly one attempt commits")
            let winner = outcomes[0].committed ? "A" : "B"
            let records = try readText(directory.file("out/part-00000")).split(separator: "\n")
            XCTAssertEqual(records.count, 5)
            XCTAssertTrue(records.allSatisfy { $0.hasSuffix("\tfrom-\(winner)") }, "\(records)")

            // A later attempt (a slow speculative one) finds the partition committed and succeeds quietly.
            let late = try await ReduceTask(options: reduceOptions(url: url, reducer: #"sed 's/$/\tfrom-C/'"#, attempt: "attempt-C")).run()
            XCTAssertFalse(late.committed)
            let status = await MapReduceTaskRunner.runReduce(reduceOptions(url: url, reducer: "cat", attempt: "attempt-D"))
            XCTAssertEqual(status, 0)
        }
        XCTAssertTrue(try readText(directory.file("out/part-00000")).split(separator: "\n").allSatisfy { !$0.hasSuffix("from-C") })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")), ["part-00000"])
    }

    func testAFailingReducerLeavesNothingInTheOutput() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-1", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            do {
                _ = try await ReduceTask(options: reduceOptions(url: url, reducer: "cat; echo 'reducer broke' >&2; exit 4", attempt: "a0")).run()
                XCTFail("the reduce should fail")
            } catch let error as BatchRuntimeError {
                XCTAssertEqual(error.message, "reducer `cat; echo 'reducer broke' >&2; exit 4` exited with status 4: reducer broke")
                XCTAssertEqual(error.exitStatus, 1)
            }
            let status = await MapReduceTaskRunner.runReduce(reduceOptions(url: url, reducer: "no-such-reducer-xyz", attempt: "a1"))
            XCTAssertEqual(status, 1)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")), [])
    }

    func testAnUnknownMapTaskIsAFetchFailureNamingTheMapAndAgent() async throws {
        let tasks = try writeMapOutputs()
        try await withTestAgent(agentID: "agent-A", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            let maps = [MapOutputLocation(mapIndex: 0, agentID: "agent-A", agentURL: url, taskID: "map-0"),
                        MapOutputLocation(mapIndex: 1, agentID: "agent-A", agentURL: url, taskID: "map-gone")]
            do {
                _ = try await ReduceTask(options: reduceOptions(url: url, reducer: "cat", attempt: "a0", agentID: "agent-B", maps: maps)).run()
                XCTFail("the reduce should fail")
            } catch let error as BatchRuntimeError {
                XCTAssertEqual(error.kind, .fetch)
                XCTAssertEqual(error.exitStatus, 2)
                XCTAssertTrue(error.message.contains("map 1 (task map-gone) from agent agent-A at \(url)"), error.message)
                XCTAssertTrue(error.message.contains("does not know the map task"), error.message)
            }
            let status = await MapReduceTaskRunner.runReduce(reduceOptions(url: url, reducer: "cat", attempt: "a1", agentID: "agent-B", maps: maps))
            XCTAssertEqual(status, 2)
        }
        XCTAssertFalse(fileExists(directory.file("out/part-00000")))
    }

    func testAMissingMapOutputFileIsAFetchFailure() async throws {
        let tasks = try writeMapOutputs()
        try FileManager.default.removeItem(atPath: directory.file("sandboxes/map-1/map-output/part-00000"))
        try await withTestAgent(agentID: "agent-A", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in
            let maps = (0..<2).map { MapOutputLocation(mapIndex: $0, agentID: "agent-A", agentURL: url, taskID: "map-\($0)") }
            do {
                _ = try await ReduceTask(options: reduceOptions(url: url, reducer: "cat", attempt: "a0", agentID: "agent-B", maps: maps)).run()
                XCTFail("the reduce should fail")
            } catch let error as BatchRuntimeError {
                XCTAssertEqual(error.exitStatus, 2)
                XCTAssertTrue(error.message.contains("map 1 (task map-1) from agent agent-A"), error.message)
                XCTAssertTrue(error.message.contains("404"), error.message)
            }
        }
    }

    func testAnUnreachableAgentIsAFetchFailure() async throws {
        let tasks = try writeMapOutputs()
        // A port that was just served and is now closed.
        let url = try await withTestAgent(agentID: "agent-A", sandboxRoot: directory.file("sandboxes"), tasks: tasks) { url, _ in url }
        let maps = [MapOutputLocation(mapIndex: 0, agentID: "agent-A", agentURL: url, taskID: "map-0")]
        do {
            _ = try await ReduceTask(options: reduceOptions(url: url, reducer: "cat", attempt: "a0", agentID: "agent-B", maps: maps)).run()
            XCTFail("the reduce should fail")
        } catch {
            XCTAssertEqual(error.exitStatus, 2)
            XCTAssertTrue(error.message.hasPrefix("cannot fetch partition 0 of map 0 (task map-0) from agent agent-A at \(url): "), error.message)
        }
    }

    func testMapLocationsParse() throws {
        let location = try MapOutputLocation(parsing: "3=agent-7-S1@http://10.0.0.5:5051/job-1-map-3-attempt-0")
        XCTAssertEqual(location, MapOutputLocation(mapIndex: 3, agentID: "agent-7-S1", agentURL: "http://10.0.0.5:5051",
                                                   taskID: "job-1-map-3-attempt-0"))
        XCTAssertEqual(try MapOutputLocation(parsing: location.description), location)
        for bad in ["agent@http://h:1/t", "-1=a@http://h:1/t", "1=@http://h:1/t", "1=a@h:1/t", "1=a@http://h:1", "1=a@http://h:1/", "1=a"] {
            XCTAssertThrowsError(try MapOutputLocation(parsing: bad), bad) { error in
                XCTAssertEqual((error as? BatchRuntimeError)?.kind, .usage)
            }
        }
    }

    func testAnAttemptIDWithASlashIsRejected() async throws {
        let options = reduceOptions(url: "http://127.0.0.1:1", reducer: "cat", attempt: "../escape")
        let status = await MapReduceTaskRunner.runReduce(options)
        XCTAssertEqual(status, 64)
    }
}
