import KubeAPI
import FairwayTesting
import XCTest

final class WatchTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUp() async throws {
        directory = try TemporaryDirectory("watch")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    func openStore(_ options: KubeStoreOptions = .init()) throws -> KubeStore {
        try KubeStore(path: directory.file("objects.sqlite"), options: options, clock: ManualClock().function)
    }

    func testWatchFromAResourceVersionSendsOnlyLaterChanges() async throws {
        let store = try openStore()
        _ = try await store.create(.pods, namespace: "default", object: podObject("before"))
        let list = try await store.list(.pods, namespace: "default")
        let stream = try await store.watch(.pods, namespace: "default", from: list.resourceVersion)
        _ = try await store.create(.pods, namespace: "default", object: podObject("after"))
        _ = try await store.patch(.pods, namespace: "default", name: "after", patch: json(#"{"metadata":{"labels":{"x":"1"}}}"#), type: .merge)
        _ = try await store.delete(.pods, namespace: "default", name: "after")
        _ = try await store.create(.services, namespace: "default", object: json(#"{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}"#))
        let events = await collect(stream, count: 3)
        XCTAssertEqual(events.map(\.type), [.added, .modified, .deleted])
        XCTAssertEqual(events.map { $0.object.name ?? "" }, ["after", "after", "after"])
        let versions = events.compactMap { $0.object.string("metadata", "resourceVersion").flatMap { UInt64($0) } }
        XCTAssertEqual(versions, versions.sorted())
        XCTAssertGreaterThan(versions.first ?? 0, list.resourceVersion)
    }

    func testWatchWithoutAVersionStartsWithTheCurrentObjects() async throws {
        let store = try openStore()
        _ = try await store.create(.pods, namespace: "default", object: podObject("a"))
        _ = try await store.create(.pods, namespace: "default", object: podObject("b", labels: ["app": "web"]))
        let stream = try await store.watch(.pods, namespace: "default", labels: LabelSelector(parsing: "app=web"), from: 0)
        _ = try await store.create(.pods, namespace: "default", object: podObject("c", labels: ["app": "web"]))
        let events = await collect(stream, count: 2)
        XCTAssertEqual(events.map(\.type), [.added, .added])
        XCTAssertEqual(events.map { $0.object.name ?? "" }, ["b", "c"])
    }

    func testAnObjectLeavingTheSelectorIsDeletedForThatWatcher() async throws {
        let store = try openStore()
        _ = try await store.create(.pods, namespace: "default", object: podObject("a", labels: ["app": "web"]))
        let version = await store.currentResourceVersion
        let stream = try await store.watch(.pods, namespace: "default", labels: LabelSelector(parsing: "app=web"), from: version)
        _ = try await store.patch(.pods, namespace: "default", name: "a", patch: json(#"{"metadata":{"labels":{"app":"db"}}}"#), type: .merge)
        _ = try await store.patch(.pods, namespace: "default", name: "a", patch: json(#"{"metadata":{"labels":{"tier":"x"}}}"#), type: .merge)
        _ = try await store.patch(.pods, namespace: "default", name: "a", patch: json(#"{"metadata":{"labels":{"app":"web"}}}"#), type: .merge)
        let events = await collect(stream, count: 2)
        XCTAssertEqual(events.map(\.type), [.deleted, .added])
        XCTAssertEqual(events.first?.object.string("metadata", "labels", "app"), "db")
    }

    func testFieldSelectedWatchOfOneObject() async throws {
        let store = try openStore()
        _ = try await store.create(.pods, namespace: "default", object: podObject("a"))
        _ = try await store.create(.pods, namespace: "default", object: podObject("b"))
        let version = await store.currentResourceVersion
        let stream = try await store.watch(.pods, namespace: "default", fields: .name("b"), from: version)
        _ = try await store.delete(.pods, namespace: "default", name: "a")
        _ = try await store.delete(.pods, namespace: "default", name: "b")
        let events = await collect(stream, count: 1)
        XCTAssertEqual(events.map { "\($0.type.rawValue) \($0.object.name ?? "")" }, ["DELETED b"])
    }

    func testAVersionOlderThanTheWindowIsExpired() async throws {
        let store = try openStore(KubeStoreOptions(watchWindow: 3))
        let start = await store.currentResourceVersion
        for index in 0..<5 { _ = try await store.create(.pods, namespace: "default", object: podObject("p\(index)")) }
        let stream = try await store.watch(.pods, namespace: "default", from: start)
        let events = await collect(stream, count: 2)
        XCTAssertEqual(events.count, 1, "the error ends the stream")
        XCTAssertEqual(events.first?.type, .error)
        XCTAssertEqual(events.first?.object["code"], 410)
        XCTAssertEqual(events.first?.object.string("reason"), "Expired")
        let recent = try await store.watch(.pods, namespace: "default", from: start + 2)
        let replayed = await collect(recent, count: 3)
        XCTAssertEqual(replayed.map { $0.object.name ?? "" }, ["p2", "p3", "p4"])
    }

    func testAVersionFromBeforeARestartIsExpired() async throws {
        var store: KubeStore? = try openStore()
        _ = try await store?.create(.pods, namespace: "default", object: podObject("a"))
        let old = await store?.currentResourceVersion ?? 0
        _ = try await store?.create(.pods, namespace: "default", object: podObject("b"))
        store = nil
        let reopened = try openStore()
        let events = await collect(try await reopened.watch(.pods, namespace: "default", from: old), count: 1)
        XCTAssertEqual(events.first?.object["code"], 410)
    }

    func testASlowWatcherIsDroppedWithoutHoldingBackWriters() async throws {
        let store = try openStore(KubeStoreOptions(watcherBuffer: 5))
        let version = await store.currentResourceVersion
        let slow = try await store.watch(.pods, namespace: nil, from: version)
        for index in 0..<20 { _ = try await store.create(.pods, namespace: "default", object: podObject("p\(index)")) }
        let written = try await store.list(.pods, namespace: nil).items.count
        XCTAssertEqual(written, 20, "every write went through")
        var received: [WatchEvent] = []
        for await event in slow { received.append(event) }
        XCTAssertLessThanOrEqual(received.count, 6)
        XCTAssertEqual(received.last?.type, .error)
        XCTAssertEqual(received.last?.object["code"], 410)
        try await waitUntil("the dropped watcher is gone") { await store.watcherCount == 0 }
    }

    func testAWatcherThatStopsListeningIsRemoved() async throws {
        let store = try openStore()
        let task = Task {
            let stream = try await store.watch(.pods, namespace: "default", from: 0)
            for await _ in stream {}
        }
        try await waitUntil("the watcher registers") { await store.watcherCount == 1 }
        task.cancel()
        try await waitUntil("the watcher goes") { await store.watcherCount == 0 }
    }
}
