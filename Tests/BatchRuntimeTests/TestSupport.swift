import BatchCore
import Agent
@testable import BatchRuntime
import FairwayHTTP
import Foundation
import Logging
import XCTest

/// A scratch directory removed by `remove()`.
struct TestDirectory {
    let path: String

    init(_ label: String) throws {
        var template = Array((NSTemporaryDirectory() + "/fairway-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw BatchRuntimeError("mkdtemp failed") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

func readText(_ path: String) throws -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
}

func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

/// The test process's environment (PATH for `tr`, `awk`) with a task's sandbox and agent.
func taskEnvironment(sandbox: String, agentID: String? = "agent-1", frameworkID: String? = "batch-fw") -> TaskEnvironment {
    try? FileManager.default.createDirectory(atPath: sandbox, withIntermediateDirectories: true)
    return TaskEnvironment(sandbox: sandbox, agentID: agentID, taskID: nil, frameworkID: frameworkID,
                           variables: ProcessInfo.processInfo.environment)
}

/// A deterministic generator for test data (64-bit LCG, high bits).
struct TestRandom {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// Text of lowercase words separated by spaces, tabs and newlines (some blank lines), about `size` bytes.
func wordCorpus(size: Int, seed: UInt64 = 7) -> [UInt8] {
    var random = TestRandom(state: seed)
    let vocabulary = (0..<900).map { index -> String in
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var word = ""
        var value = index * 7919 + 13
        for _ in 0..<(2 + index % 7) {
            word.append(letters[value % 26])
            value /= 3
            value += index
        }
        return word
    }
    var text: [UInt8] = []
    while text.count < size {
        // Zipf-like: low indices much more frequent.
        let index = min(vocabulary.count - 1, random.next(30) * random.next(30) + random.next(3))
        text += Array(vocabulary[index].utf8)
        switch random.next(20) {
        case 0: text += [UInt8(ascii: "\n"), UInt8(ascii: "\n")]
        case 1, 2: text.append(UInt8(ascii: "\n"))
        case 3: text.append(UInt8(ascii: "\t"))
        case 4: text += [UInt8(ascii: " "), UInt8(ascii: " ")]
        default: text.append(UInt8(ascii: " "))
        }
    }
    return text
}

/// What `tr -s '[:space:]' '\n' | sort | uniq -c` counts.
func swiftWordCount(_ text: [UInt8]) -> [String: Int] {
    var counts: [String: Int] = [:]
    let whitespace: Set<UInt8> = [9, 10, 11, 12, 13, 32]
    for word in text.split(whereSeparator: { whitespace.contains($0) }) {
        counts[String(decoding: word, as: UTF8.self), default: 0] += 1
    }
    return counts
}

/// `key<TAB>count` lines into a dictionary, failing on a repeated key.
func parseCounts(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Int] {
    var counts: [String: Int] = [:]
    for row in text.split(separator: "\n") {
        let fields = row.split(separator: "\t")
        guard fields.count == 2, let count = Int(fields[1]) else {
            XCTFail("bad output line '\(row)'", file: file, line: line)
            continue
        }
        if counts[String(fields[0])] != nil { XCTFail("key \(fields[0]) appears twice", file: file, line: line) }
        counts[String(fields[0])] = count
    }
    return counts
}

let wordCountMapper = #"tr -s '[:space:]' '\n' | awk 'NF{print $0"\t1"}'"#
/// Sums counts per key, relying on its input being sorted by key (unsorted input would repeat keys).
let sumReducer = #"awk -F'\t' 'NR > 1 && $1 != k { print k "\t" s; s = 0 } { k = $1; s += $2 } END { if (NR > 0) print k "\t" s }'"#

/// One map task an agent reports in `/state`.
struct AgentTaskEntry: Sendable {
    var id: String
    var sandbox: String
}

/// Counts requests by path, so tests can check what the runtime asked an agent.
actor RequestLog {
    private(set) var paths: [String] = []
    func record(_ path: String) { paths.append(path) }
    func count(_ path: String) -> Int { paths.filter { $0 == path }.count }
}

/// The HTTP face of an agent for tests: a `/state` listing map tasks (Mesos v0 shape, as the real
/// agent renders it) and the real `SandboxFiles` for `/files/*`.
struct TestAgentHandler: HTTPHandler {
    let agentID: String
    let frameworkID: String
    let tasks: [AgentTaskEntry]
    let files: SandboxFiles
    let log: RequestLog

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        await log.record(request.path)
        switch request.path {
        case "/state":
            return .response(.json(stateDocument().encoded()))
        case "/files/read", "/files/browse", "/files/download":
            return .response(files.handle(request))
        default:
            return .response(.text(.notFound, "no \(request.path) here"))
        }
    }

    private func stateDocument() -> JSONValue {
        let executors = tasks.map { task in
            JSONValue.object([
                ("id", .string(task.id)),
                ("framework_id", .string(frameworkID)),
                ("directory", .string(task.sandbox)),
                ("tasks", .array([])),
                ("queued_tasks", .array([])),
                ("completed_tasks", .array([.object([
                    ("id", .string(task.id)),
                    ("state", .string("TASK_FINISHED")),
                    ("framework_id", .string(frameworkID)),
                    ("slave_id", .string(agentID)),
                    ("sandbox", .string(task.sandbox)),
                ])])),
            ])
        }
        return .object([
            ("id", .string(agentID)),
            ("hostname", .string("127.0.0.1")),
            ("frameworks", .array([.object([
                ("id", .string(frameworkID)),
                ("executors", .array([])),
                ("completed_executors", .array(executors)),
            ])])),
            ("completed_frameworks", .array([])),
        ])
    }
}

/// Runs `body` with an agent HTTP server on an ephemeral loopback port, always shutting it down.
func withTestAgent<T>(agentID: String, frameworkID: String = "batch-fw", sandboxRoot: String, tasks: [AgentTaskEntry],
                      _ body: (_ url: String, _ log: RequestLog) async throws -> T) async throws -> T {
    let log = RequestLog()
    let handler = TestAgentHandler(agentID: agentID, frameworkID: frameworkID, tasks: tasks,
                                   files: SandboxFiles(root: sandboxRoot), log: log)
    let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, logger: Logger(label: "fairway.test.agent"))
    do {
        let result = try await body("http://127.0.0.1:\(server.port)", log)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Splits of `size` bytes tiling `path` (at least one).
func splits(of path: String, count: Int) throws -> [InputSplit] {
    let size = try readBytes(path).count
    let length = max(1, (size + count - 1) / count)
    return (0..<count).map { InputSplit(path: path, offset: $0 * length, length: length) }
}
