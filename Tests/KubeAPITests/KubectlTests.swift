import Foundation
import KubeAPI
import FairwayTesting
import XCTest

/// The kubectl on PATH (1.32, the Google Cloud SDK dispatcher, which runs its built-in 1.32
/// because /version says minor 32) against the handler on a real HTTPServer.
final class KubectlTests: XCTestCase {
    var api: ServedAPI!
    var scenario: KubectlScenario!

    override func setUp() async throws {
        guard let kubectl = findOnPath("kubectl") else { throw XCTSkip("no kubectl on PATH (it comes with the google-cloud-sdk kubectl package)") }
        api = try await ServedAPI.start()
        scenario = KubectlScenario(api: api, kubectl: kubectl)
    }

    override func tearDown() async throws {
        await api?.shutdown()
        api = nil
    }

    func testVersionPicksTheBuiltIn132() async throws {
        let output = try await scenario.ok(["version"])
        XCTAssertTrue(output.contains("Server Version: v1.32.0-fairway"), output)
    }

    func testCreateGetApplyScaleDelete() async throws {
        try await scenario.basics()
    }

    func testWideLabelsDescribeAndAll() async throws {
        let pod = try scenario.write("pod.yaml", Manifests.pod)
        try await scenario.ok(["create", "-f", pod])
        let wide = try await scenario.ok(["get", "pods", "-o", "wide"])
        XCTAssertTrue(wide.contains("NOMINATED NODE"), wide)
        XCTAssertTrue(wide.contains("READINESS GATES"), wide)
        let value1 = try await scenario.ok(["label", "pod", "web", "tier=fe"]).contains("pod/web labeled")
        XCTAssertTrue(value1)
        let labelled = try await api.store.get(.pods, namespace: "default", name: "web")
        XCTAssertEqual(labelled.stringMap("metadata", "labels"), ["app": "web", "tier": "fe"])
        let value2 = try await scenario.ok(["get", "pods", "-l", "tier=fe,app!=db"]).contains("web")
        XCTAssertTrue(value2)
        let value3 = try await scenario.run(["get", "pods", "-l", "tier=be"]).combined.contains("No resources found")
        XCTAssertTrue(value3)
        await api.store.recordEvent(involving: labelled, type: "Warning", reason: "FailedScheduling",
                                    message: "0/3 agents: 2 insufficient cpu, 1 node selector mismatch", source: "fairway-pods")
        let other = try await api.store.create(.pods, namespace: "default", object: podObject("other"))
        await api.store.recordEvent(involving: other, type: "Normal", reason: "Unrelated", message: "not about web", source: "x")
        let described = try await scenario.ok(["describe", "pod", "web"])
        XCTAssertTrue(described.contains("Name:         web"), described)
        XCTAssertTrue(described.contains("sleep"), described)
        XCTAssertTrue(described.contains("FailedScheduling"), described)
        XCTAssertTrue(described.contains("0/3 agents: 2 insufficient cpu, 1 node selector mismatch"), described)
        XCTAssertFalse(described.contains("Unrelated"), described)
        let all = try await scenario.ok(["get", "all"])
        XCTAssertTrue(all.contains("pod/web"), all)
        _ = try await api.store.create(.services, namespace: "default", object: json(#"{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}"#))
        let services = try await scenario.ok(["get", "svc", "-o", "wide"])
        XCTAssertTrue(services.contains("10.96.0.2"), services)
        XCTAssertTrue(services.contains("80/TCP"), services)
        XCTAssertTrue(services.contains("app=web"), services)
        let events = try await scenario.ok(["get", "events"])
        XCTAssertTrue(events.contains("FailedScheduling"), events)
        let deleted = try await scenario.ok(["delete", "pods", "--all"])
        XCTAssertTrue(deleted.contains("pod \"web\" deleted") && deleted.contains("pod \"other\" deleted"), deleted)
        let remaining = try await api.store.list(.pods, namespace: nil).items
        XCTAssertTrue(remaining.isEmpty)
    }

    func testWatchSeesAddedThenDeleted() async throws {
        let watcher = try api.kubectlChild(scenario.kubectl, ["get", "pods", "-w", "--output-watch-events"])
        defer { watcher.kill() }
        let store = api.store
        try await waitUntil("kubectl watches") { await store.watcherCount == 1 }
        _ = try await api.store.create(.pods, namespace: "default", object: podObject("watched"))
        let added = await watcher.waitForOutput(containing: "ADDED")
        XCTAssertTrue(added, watcher.output + watcher.errors)
        _ = try await api.store.delete(.pods, namespace: "default", name: "watched")
        let deleted = await watcher.waitForOutput(containing: "DELETED")
        XCTAssertTrue(deleted, watcher.output + watcher.errors)
        let rows = watcher.output.split(separator: "\n").filter { $0.contains("watched") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(rows, ["ADDED", "DELETED"], watcher.output)
        watcher.kill()
        try await waitUntil("the watch ends with kubectl") { await store.watcherCount == 0 }
    }

    func testBadInput() async throws {
        let invalid = try await scenario.run(["create", "-f", scenario.write("nocmd.yaml", Manifests.podWithoutCommand)])
        XCTAssertNotEqual(invalid.status, 0)
        XCTAssertTrue(invalid.errors.contains(#"Pod "nocmd" is invalid"#), invalid.combined)
        XCTAssertTrue(invalid.errors.contains("spec.containers[0].command: Required value: Fairway runs processes, not images"), invalid.combined)

        let pod = try scenario.write("pod.yaml", Manifests.pod)
        try await scenario.ok(["create", "-f", pod])
        let duplicate = try await scenario.run(["create", "-f", pod])
        XCTAssertNotEqual(duplicate.status, 0)
        XCTAssertTrue(duplicate.errors.contains(#"Error from server (AlreadyExists): error when creating"#), duplicate.combined)
        XCTAssertTrue(duplicate.errors.contains(#"pods "web" already exists"#), duplicate.combined)

        api.recorder.clear()
        let unknown = try await scenario.run(["create", "-f", scenario.write("widget.yaml", Manifests.unknownKind)])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.errors.contains("Widget"), unknown.combined)
        let malformed = try await scenario.run(["create", "-f", scenario.write("broken.yaml", Manifests.malformed)])
        XCTAssertNotEqual(malformed.status, 0)
        XCTAssertTrue(malformed.errors.lowercased().contains("yaml"), malformed.combined)
        XCTAssertFalse(api.recorder.exchanges.contains { $0.method != "GET" }, "nothing was written")
        let pods = try await api.store.list(.pods, namespace: nil).items.compactMap(\.name)
        XCTAssertEqual(pods, ["web"], "nothing is half-created")

        let missing = try await scenario.run(["get", "pod", "nosuch"])
        XCTAssertTrue(missing.errors.contains(#"Error from server (NotFound): pods "nosuch" not found"#), missing.combined)
    }

    func testLogs() async throws {
        await api.shutdown()
        let source = FakeLogSource()
        api = try await ServedAPI.start(logs: source)
        scenario = KubectlScenario(api: api, kubectl: scenario.kubectl)
        _ = try await api.store.create(.pods, namespace: "default", object: podObject("web"))
        let logs = try await scenario.ok(["logs", "web", "--tail=5"])
        XCTAssertEqual(logs, "main tail=5\nline 1\nline 2\n")
        let follower = try api.kubectlChild(scenario.kubectl, ["logs", "-f", "web"])
        defer { follower.kill() }
        let ticking = await follower.waitForOutput(containing: "tick 3")
        XCTAssertTrue(ticking, follower.output + follower.errors)
        XCTAssertEqual(source.active.value, 1)
        follower.kill()
        try await waitUntil("the log source stops when kubectl goes") { source.active.value == 0 }
    }
}
