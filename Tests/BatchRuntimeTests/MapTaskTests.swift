@testable import BatchRuntime
import BatchCore
import Foundation
import XCTest

final class MapTaskTests: XCTestCase {
    private var directory: TestDirectory!

    override func setUp() async throws {
        directory = try TestDirectory("map")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    private func mapOptions(input: String, partitions: Int = 1, mapper: String, combiner: String? = nil,
                            sandbox: String = "sandbox", spillThreshold: Int = MapTaskOptions.defaultSpillThreshold) throws -> MapTaskOptions {
        MapTaskOptions(split: InputSplit(path: input, offset: 0, length: try readBytes(input).count),
                       partitions: partitions, mapper: mapper, combiner: combiner,
                       environment: taskEnvironment(sandbox: directory.file(sandbox)), spillThreshold: spillThreshold)
    }

    private func part(_ sandbox: String, _ partition: Int) throws -> String {
        try readText(MapReduceLayout.mapOutputPath(sandbox: directory.file(sandbox), partition: partition))
    }

    func testRecordsKeepTheirLinesAndSortStablyByKey() async throws {
        let input = try directory.write("input", Array("x\n".utf8))
        // No tab: the whole line is the key. Equal keys keep the mapper's order. `\r` is data.
        // The last line has no newline.
        let mapper = #"cat >/dev/null; printf 'b\t1\na\t2\nb\t0\na\nc\r\n\tempty key\na\tlast'"#
        let counters = try await MapTask(options: try mapOptions(input: input, mapper: mapper)).run()
        XCTAssertEqual(try part("sandbox", 0), "\tempty key\na\t2\na\na\tlast\nb\t1\nb\t0\nc\r\n")
        XCTAssertEqual(counters.inputRecords, 1)
        XCTAssertEqual(counters.inputBytes, 2)
        XCTAssertEqual(counters.outputRecords, 7)
        XCTAssertTrue(fileExists(directory.file("sandbox/map-output/_DONE")))
        XCTAssertFalse(fileExists(directory.file("sandbox/map-output/_spill")))
    }

    func testEveryPartitionFileIsWrittenAndHoldsOnlyItsKeys() async throws {
        let words = (0..<300).map { "w\($0)" }
        let input = try directory.write("input", Array(words.joined(separator: "\n").utf8))
        _ = try await MapTask(options: try mapOptions(input: input, partitions: 5, mapper: "cat")).run()
        let partitioner = StablePartitioner(partitions: 5)
        var seen: [String] = []
        for partition in 0..<5 {
            let keys = try part("sandbox", partition).split(separator: "\n").map(String.init)
            XCTAssertEqual(keys, keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            for key in keys { XCTAssertEqual(partitioner.partition(ofKey: key), partition, key) }
            seen += keys
        }
        XCTAssertEqual(seen.sorted(), words.sorted())
        let counters = try JSONDecoder().decode(MapCounters.self, from: Data(try readBytes(directory.file("sandbox/counters.json"))))
        XCTAssertEqual(counters.inputRecords, 300)
        XCTAssertEqual(counters.outputRecords, 300)
    }

    func testAMapperWritingFarMoreThanAPipeBeforeReadingDoesNotDeadlock() async throws {
        // ~1.2 MB of input, far more than a pipe holds, against 200,000 lines of output written
        // before (and, in the second run, after) the mapper reads anything.
        let line = String(repeating: "z", count: 59)
        let input = try directory.write("input", Array(String(repeating: line + "\n", count: 20_000).utf8))
        let before = try await MapTask(options: try mapOptions(input: input, partitions: 2,
                                                               mapper: "yes | head -n 200000; cat", sandbox: "before")).run()
        XCTAssertEqual(before.inputRecords, 20_000)
        XCTAssertEqual(before.outputRecords, 220_000)
        let after = try await MapTask(options: try mapOptions(input: input, partitions: 2,
                                                              mapper: "cat; yes | head -n 200000", sandbox: "after")).run()
        XCTAssertEqual(after.outputRecords, 220_000)
        let total = try (0..<2).map { try part("after", $0).split(separator: "\n").count }.reduce(0, +)
        XCTAssertEqual(total, 220_000)
    }

    func testAMapperThatStopsReadingEarlyStillSucceeds() async throws {
        let input = try directory.write("input", Array(String(repeating: "line\n", count: 100_000).utf8))
        let counters = try await MapTask(options: try mapOptions(input: input, mapper: "head -n 3")).run()
        XCTAssertEqual(counters.outputRecords, 3)
        XCTAssertEqual(try part("sandbox", 0), "line\nline\nline\n")
    }

    func testAMissingMapperFailsWithTheShellsMessage() async throws {
        let input = try directory.write("input", Array("a\nb\n".utf8))
        do {
            _ = try await MapTask(options: try mapOptions(input: input, mapper: "no-such-mapper-xyz")).run()
            XCTFail("the map should fail")
        } catch let error as BatchRuntimeError {
            XCTAssertTrue(error.message.hasPrefix("mapper `no-such-mapper-xyz` exited with status 127: "), error.message)
            XCTAssertTrue(error.message.contains("no-such-mapper-xyz: not found"), error.message)
            XCTAssertEqual(error.exitStatus, 1)
        }
        XCTAssertFalse(fileExists(directory.file("sandbox/map-output/_DONE")))
        let status = await MapReduceTaskRunner.runMap(try mapOptions(input: input, mapper: "no-such-mapper-xyz"))
        XCTAssertEqual(status, 1)
    }

    func testAFailingMapperReportsItsStatusAndLastErrorLine() async throws {
        let input = try directory.write("input", Array("a\n".utf8))
        do {
            _ = try await MapTask(options: try mapOptions(input: input, mapper: "cat; echo first >&2; echo 'bad record 7' >&2; exit 3")).run()
            XCTFail("the map should fail")
        } catch let error as BatchRuntimeError {
            XCTAssertEqual(error.message, "mapper `cat; echo first >&2; echo 'bad record 7' >&2; exit 3` exited with status 3: bad record 7")
        }
    }

    func testAMissingInputFailsBeforeRunningTheMapper() async throws {
        let marker = directory.file("ran")
        let options = MapTaskOptions(split: InputSplit(path: directory.file("absent"), offset: 0, length: 10), partitions: 1,
                                     mapper: "touch \(marker)", environment: taskEnvironment(sandbox: directory.file("sandbox")))
        do {
            _ = try await MapTask(options: options).run()
            XCTFail("the map should fail")
        } catch {
            XCTAssertTrue(error.message.contains("cannot open input split \(directory.file("absent"))"), error.message)
        }
        XCTAssertFalse(fileExists(marker))
    }

    func testInvalidArgumentsAreUsageErrors() async throws {
        let options = MapTaskOptions(split: InputSplit(path: "/dev/null", offset: 0, length: 1), partitions: 0, mapper: "cat",
                                     environment: taskEnvironment(sandbox: directory.file("sandbox")))
        let status = await MapReduceTaskRunner.runMap(options)
        XCTAssertEqual(status, 64)
    }

    func testSpillingToDiskGivesTheSameOutputAndKeepsEqualKeysInOrder() async throws {
        let corpus = wordCorpus(size: 60_000)
        let input = try directory.write("input", corpus)
        for combiner in [nil, sumReducer] {
            let inMemory = try await MapTask(options: try mapOptions(input: input, partitions: 3, mapper: wordCountMapper,
                                                                     combiner: combiner, sandbox: "memory")).run()
            let spilled = try await MapTask(options: try mapOptions(input: input, partitions: 3, mapper: wordCountMapper,
                                                                    combiner: combiner, sandbox: "spilled", spillThreshold: 2_000)).run()
            XCTAssertEqual(inMemory.spilledRuns, 0)
            XCTAssertGreaterThan(spilled.spilledRuns, 10)
            for partition in 0..<3 {
                XCTAssertEqual(try part("memory", partition), try part("spilled", partition), "partition \(partition), combiner \(combiner ?? "none")")
            }
            XCTAssertFalse(fileExists(directory.file("spilled/map-output/_spill")))
        }
        // Equal keys across many spills stay in the mapper's order.
        let ordered = try await MapTask(options: try mapOptions(input: input, mapper: #"cat >/dev/null; seq 1 3000 | sed 's/^/k\t/'"#,
                                                                sandbox: "ordered", spillThreshold: 100)).run()
        XCTAssertGreaterThan(ordered.spilledRuns, 100)
        XCTAssertEqual(try part("ordered", 0), (1...3000).map { "k\t\($0)\n" }.joined())
    }

    func testKeysSortBytewiseBeyondTheirFirstEightBytes() async throws {
        // Long common prefixes, keys that are prefixes of others, multi-byte UTF-8 and NUL bytes.
        var random = TestRandom(state: 9)
        let pieces: [[UInt8]] = [Array("a".utf8), Array("b".utf8), Array("ü".utf8), [0], [0xff], Array(" ".utf8)]
        var lines: [[UInt8]] = []
        for index in 0..<3000 {
            var key = Array("commonprefix".utf8).prefix(random.next(14)).map { $0 }
            for _ in 0..<random.next(6) { key += pieces[random.next(pieces.count)] }
            lines.append(random.next(3) == 0 ? key : key + Array("\t\(index)".utf8))
        }
        let input = try directory.write("input", Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")])
        func key(_ line: [UInt8]) -> [UInt8] { Array(line.prefix { $0 != UInt8(ascii: "\t") }) }
        let expected = lines.enumerated().sorted { left, right in
            let a = key(left.element), b = key(right.element)
            return a == b ? left.offset < right.offset : a.lexicographicallyPrecedes(b)
        }.map(\.element)
        let wanted = Array(expected.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]
        for (sandbox, threshold) in [("memory", MapTaskOptions.defaultSpillThreshold), ("spilled", 4_000)] {
            _ = try await MapTask(options: try mapOptions(input: input, mapper: "cat", sandbox: sandbox, spillThreshold: threshold)).run()
            XCTAssertEqual(try readBytes(MapReduceLayout.mapOutputPath(sandbox: directory.file(sandbox), partition: 0)), wanted, sandbox)
        }
    }

    func testTheMapperSeesTheSplitInItsEnvironment() async throws {
        let input = try directory.write("input", Array("a\n".utf8))
        _ = try await MapTask(options: try mapOptions(input: input, partitions: 4,
                                                      mapper: #"cat >/dev/null; echo "$mapreduce_map_input_file $mapreduce_map_input_start $mapreduce_map_input_length $mapreduce_job_reduces""#)).run()
        let line = "\(input) 0 2 4\n"
        let partition = StablePartitioner(partitions: 4).partition(ofKey: String(line.dropLast()))
        XCTAssertEqual(try part("sandbox", partition), line)
    }
}
