import FairwayHTTP
import Foundation
import KubeAPI
import Logging
import XCTest

/// A directory under the system temp dir, removed by `remove()`.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init(_ prefix: String = "kubeapi") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let path = file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// Parses a JSON literal in a test.
func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSON {
    do {
        return try JSON.parse(text)
    } catch {
        XCTFail("bad JSON in test: \(error)", file: file, line: line)
        return .null
    }
}

/// A pod manifest with one container running `command`.
func podObject(_ name: String, labels: [String: String] = [:], command: [String] = ["sleep", "3600"], namespace: String? = nil) -> JSON {
    var pod: JSON = ["apiVersion": "v1", "kind": "Pod",
                     "metadata": ["name": .string(name)],
                     "spec": ["containers": [["name": "main", "image": "busybox", "command": .array(command.map { .string($0) })]]]]
    if !labels.isEmpty { pod[path: "metadata", "labels"] = JSON(strings: labels) }
    if let namespace { pod[path: "metadata", "namespace"] = .string(namespace) }
    return pod
}

/// Collects events from a watch stream until `count` arrive or `timeout` passes.
func collect(_ stream: AsyncStream<WatchEvent>, count: Int, timeout: Double = 5) async -> [WatchEvent] {
    await withTaskGroup(of: [WatchEvent].self) { group in
        group.addTask {
            var events: [WatchEvent] = []
            for await event in stream {
                events.append(event)
                if events.count >= count { break }
            }
            return events
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(timeout))
            return []
        }
        let first = await group.next() ?? []
        group.cancelAll()
        if first.isEmpty, let second = await group.next() { return second }
        return first
    }
}

extension JSON {
    /// `metadata.name` (tests read it a lot).
    var name: String? { string("metadata", "name") }
}
