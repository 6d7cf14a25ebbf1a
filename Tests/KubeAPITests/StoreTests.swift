import KubeAPI
import XCTest

final class StoreTests: XCTestCase {
    var directory: TemporaryDirectory!
    let clock = ManualClock()

    override func setUp() async throws {
        directory = try TemporaryDirectory("store")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    func openStore(_ options: KubeStoreOptions = .init()) throws -> KubeStore {
        try KubeStore(path: directory.file("objects.sqlite"), options: options, clock: clock.function)
    }

    func testResourceVersionIsGlobalMonotonicAndSurvivesARestart() async throws {
        var store: KubeStore? = try openStore()
        let start = await store?.currentResourceVersion ?? 0
        XCTAssertEqual(start, 3, "the three system namespaces were the first writes")
        let namespaces = try await store?.list(.namespaces, namespace: nil).items.compactMap(\.name)
        XCTAssertEqual(namespaces, ["default", "kube-public", "kube-system"])
        let pod = try await store?.create(.pods, namespace: "default", object: podObject("a"))
        let service = try await store?.create(.services, namespace: "default", object: json(#"{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}"#))
        XCTAssertEqual(pod?.string("metadata", "resourceVersion"), "4")
        XCTAssertEqual(service?.string("metadata", "resourceVersion"), "5")
        _ = try await store?.delete(.pods, namespace: "default", name: "a")
        let afterDelete = await store?.currentResourceVersion
        XCTAssertEqual(afterDelete, 6)
        store = nil
        let reopened = try openStore()
        let reopenedVersion = await reopened.currentResourceVersion
        XCTAssertEqual(reopenedVersion, 6, "a delete's version is kept too")
        let next = try await reopened.create(.pods, namespace: "default", object: podObject("b"))
        XCTAssertEqual(next.string("metadata", "resourceVersion"), "7")
        let kept = try await reopened.get(.services, namespace: "default", name: "s")
        XCTAssertEqual(kept.string("spec", "clusterIP"), service?.string("spec", "clusterIP"))
        let other = try await reopened.create(.services, namespace: "default", object: json(#"{"metadata":{"name":"t"},"spec":{"ports":[{"port":80}]}}"#))
        XCTAssertNotEqual(other.string("spec", "clusterIP"), kept.string("spec", "clusterIP"), "allocations survive the restart")
        let list = try await reopened.list(.pods, namespace: "default")
        XCTAssertEqual(list.items.compactMap(\.name), ["b"])
        XCTAssertEqual(list.resourceVersion, 8)
        XCTAssertEqual(list.json.string("kind"), "PodList")
        XCTAssertEqual(list.json.string("metadata", "resourceVersion"), "8")
    }

    func testConflictsAndUnconditionalUpdates() async throws {
        let store = try openStore()
        let created = try await store.create(.pods, namespace: "default", object: podObject("a"))
        var stale = created
        stale[path: "metadata", "labels", "x"] = "1"
        let updated = try await store.update(.pods, namespace: "default", name: "a", object: stale)
        XCTAssertEqual(updated.string("metadata", "labels", "x"), "1")
        stale[path: "metadata", "labels", "x"] = "2"
        do {
            _ = try await store.update(.pods, namespace: "default", name: "a", object: stale)
            XCTFail("a stale resourceVersion must conflict")
        } catch {
            XCTAssertEqual(error.code, 409)
            XCTAssertEqual(error.reason, .conflict)
            XCTAssertTrue(error.message.contains("the object has been modified; please apply your changes to the latest version and try again"))
        }
        stale[path: "metadata", "resourceVersion"] = nil
        let unconditional = try await store.update(.pods, namespace: "default", name: "a", object: stale)
        XCTAssertEqual(unconditional.string("metadata", "labels", "x"), "2")
        XCTAssertEqual(unconditional.string("metadata", "uid"), created.string("metadata", "uid"), "server fields are kept")
        XCTAssertEqual(unconditional.string("metadata", "creationTimestamp"), created.string("metadata", "creationTimestamp"))
        let before = await store.currentResourceVersion
        _ = try await store.update(.pods, namespace: "default", name: "a", object: unconditional)
        let after = await store.currentResourceVersion
        XCTAssertEqual(before, after, "a no-op update writes nothing")
        do {
            _ = try await store.create(.pods, namespace: "default", object: podObject("a"))
            XCTFail("duplicate")
        } catch {
            XCTAssertEqual(error.code, 409)
            XCTAssertEqual(error.message, #"pods "a" already exists"#)
        }
        do {
            _ = try await store.get(.pods, namespace: "default", name: "zz")
            XCTFail("missing")
        } catch {
            XCTAssertEqual(error.status.text, #"{"apiVersion":"v1","code":404,"details":{"kind":"pods","name":"zz"},"kind":"Status","message":"pods \"zz\" not found","metadata":{},"reason":"NotFound","status":"Failure"}"#)
        }
    }

    func testStatusOnlyThroughTheSubresource() async throws {
        let store = try openStore()
        var pod = try await store.create(.pods, namespace: "default", object: podObject("a"))
        pod[path: "status", "phase"] = "Running"
        pod[path: "spec", "nodeName"] = "agent-1"
        let main = try await store.update(.pods, namespace: "default", name: "a", object: pod)
        XCTAssertEqual(main.string("status", "phase"), "Pending", "a main write keeps the stored status")
        XCTAssertEqual(main.string("spec", "nodeName"), "agent-1")
        var status = main
        status[path: "status", "phase"] = "Running"
        status[path: "spec", "nodeName"] = "agent-2"
        let written = try await store.update(.pods, namespace: "default", name: "a", object: status, subresource: "status")
        XCTAssertEqual(written.string("status", "phase"), "Running")
        XCTAssertEqual(written.string("spec", "nodeName"), "agent-1", "a status write changes only status")
        let modified = try await store.modify(.pods, namespace: "default", name: "a", subresource: "status") { object in
            object[path: "status", "podIP"] = "10.1.0.9"
        }
        XCTAssertEqual(modified.string("status", "podIP"), "10.1.0.9")
        XCTAssertEqual(modified.string("status", "phase"), "Running")
    }

    func testNamespaces() async throws {
        let store = try openStore()
        do {
            _ = try await store.create(.pods, namespace: "nope", object: podObject("a"))
            XCTFail("missing namespace")
        } catch {
            XCTAssertEqual(error.code, 404)
            XCTAssertEqual(error.message, #"namespaces "nope" not found"#)
        }
        _ = try await store.create(.namespaces, namespace: nil, object: json(#"{"metadata":{"name":"team"}}"#))
        _ = try await store.create(.pods, namespace: "team", object: podObject("a"))
        _ = try await store.create(.services, namespace: "team", object: json(#"{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}"#))
        _ = try await store.create(.pods, namespace: "default", object: podObject("a"))
        let all = try await store.list(.pods, namespace: nil)
        XCTAssertEqual(all.items.compactMap { $0.string("metadata", "namespace") }, ["default", "team"])
        _ = try await store.delete(.namespaces, namespace: nil, name: "team")
        let pods = try await store.list(.pods, namespace: nil)
        XCTAssertEqual(pods.items.compactMap { $0.string("metadata", "namespace") }, ["default"], "the namespace's objects went with it")
        let services = try await store.list(.services, namespace: "team")
        XCTAssertTrue(services.items.isEmpty)
        do {
            _ = try await store.delete(.namespaces, namespace: nil, name: "default")
            XCTFail("default cannot go")
        } catch {
            XCTAssertEqual(error.code, 403)
        }
    }

    func testDeletingAnOwnerCollectsItsDependents() async throws {
        let store = try openStore()
        let rc = try await store.create(.replicationControllers, namespace: "default", object: json("""
            {"metadata":{"name":"web"},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """))
        func owned(_ name: String) -> JSON {
            var pod = podObject(name, labels: ["app": "web"])
            pod[path: "metadata", "ownerReferences"] = [["apiVersion": "v1", "kind": "ReplicationController", "name": "web",
                                                         "uid": rc[path: "metadata", "uid"] ?? .null, "controller": true]]
            return pod
        }
        _ = try await store.create(.pods, namespace: "default", object: owned("web-1"))
        _ = try await store.create(.pods, namespace: "default", object: owned("web-2"))
        _ = try await store.create(.pods, namespace: "default", object: podObject("lonely", labels: ["app": "web"]))
        let deleted = try await store.delete(.replicationControllers, namespace: "default", name: "web")
        XCTAssertEqual(deleted.name, "web")
        var left = try await store.list(.pods, namespace: "default").items.compactMap(\.name)
        XCTAssertEqual(left, ["lonely"])

        let again = try await store.create(.replicationControllers, namespace: "default", object: json("""
            {"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """))
        var pod = podObject("kept", labels: ["app": "web"])
        pod[path: "metadata", "ownerReferences"] = [["kind": "ReplicationController", "name": "web", "uid": again[path: "metadata", "uid"] ?? .null]]
        _ = try await store.create(.pods, namespace: "default", object: pod)
        _ = try await store.delete(.replicationControllers, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: .orphan))
        left = try await store.list(.pods, namespace: "default").items.compactMap(\.name)
        XCTAssertEqual(left, ["kept", "lonely"])
        let orphan = try await store.get(.pods, namespace: "default", name: "kept")
        XCTAssertNil(orphan[path: "metadata", "ownerReferences"], "an orphan loses its owner reference")
    }

    /// Who owns what is known again after a restart, and follows owner references that change.
    func testOwnersAreFoundAfterARestartAndAfterAnOwnerReferenceChanges() async throws {
        var store: KubeStore? = try openStore()
        let rc = try await store!.create(.replicationControllers, namespace: "default", object: json("""
            {"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """))
        let reference: JSON = [["kind": "ReplicationController", "name": "web", "uid": rc[path: "metadata", "uid"] ?? .null]]
        for name in ["w1", "w2", "adopted"] {
            var pod = podObject(name, labels: ["app": "web"])
            if name != "adopted" { pod[path: "metadata", "ownerReferences"] = reference }
            _ = try await store!.create(.pods, namespace: "default", object: pod)
        }
        _ = try await store!.patch(.pods, namespace: "default", name: "w2", patch: json(#"{"metadata":{"ownerReferences":null}}"#), type: .merge)
        store = nil
        let reopened = try openStore()
        _ = try await reopened.patch(.pods, namespace: "default", name: "adopted",
                                     patch: ["metadata": ["ownerReferences": reference]], type: .merge)
        _ = try await reopened.delete(.replicationControllers, namespace: "default", name: "web")
        let left = try await reopened.list(.pods, namespace: "default").items.compactMap(\.name)
        XCTAssertEqual(left, ["w2"], "w1 (owned before the restart) and adopted (owned after) go; w2 was released")
    }

    func testDryRunWritesNothing() async throws {
        let store = try openStore()
        let before = await store.currentResourceVersion
        let would = try await store.create(.pods, namespace: "default", object: podObject("a"), dryRun: true)
        XCTAssertEqual(would.string("status", "phase"), "Pending")
        let after = await store.currentResourceVersion
        XCTAssertEqual(before, after)
        let pods = try await store.list(.pods, namespace: "default")
        XCTAssertTrue(pods.items.isEmpty)
    }

    func testRecordedEventsCountRepeats() async throws {
        let store = try openStore()
        let pod = try await store.create(.pods, namespace: "default", object: podObject("web"))
        await store.recordEvent(involving: pod, type: "Warning", reason: "FailedScheduling", message: "0/3 agents: 3 insufficient cpu", source: "fairway-pods")
        clock.advance(30)
        await store.recordEvent(involving: pod, type: "Warning", reason: "FailedScheduling", message: "0/3 agents: 3 insufficient cpu", source: "fairway-pods")
        await store.recordEvent(involving: pod, type: "Normal", reason: "Scheduled", message: "placed on agent-1", source: "fairway-pods")
        let uid = pod.string("metadata", "uid") ?? ""
        let events = try await store.list(.events, namespace: "default",
                                          fields: FieldSelector(parsing: "involvedObject.namespace=default,involvedObject.uid=\(uid),involvedObject.name=web"))
        XCTAssertEqual(events.items.count, 2)
        let failed = events.items.first { $0.string("reason") == "FailedScheduling" }
        XCTAssertEqual(failed?["count"], 2)
        XCTAssertEqual(failed?.string("firstTimestamp"), "2023-11-14T22:13:20Z")
        XCTAssertEqual(failed?.string("lastTimestamp"), "2023-11-14T22:13:50Z")
        XCTAssertEqual(failed?.string("involvedObject", "kind"), "Pod")
        XCTAssertEqual(failed?.string("source", "component"), "fairway-pods")
    }

    /// The pods framework's writes go in batches: one transaction, each write seeing the ones
    /// before it, watchers told after the commit and in order, a failing write leaving the rest.
    func testABatchWritesTogetherAndWatchersSeeEveryChangeInOrder() async throws {
        var store: KubeStore? = try openStore()
        _ = try await store?.create(.pods, namespace: "default", object: podObject("a"))
        let before = await store?.currentResourceVersion ?? 0
        let stream = try await store?.watch(.pods, namespace: "default", from: before)
        let failures = await store?.batch([
            ("label a", { store in _ = try store.modify(.pods, namespace: "default", name: "a") { $0[path: "metadata", "labels", "x"] = "1" } }),
            ("status of missing", { store in _ = try store.modify(.pods, namespace: "default", name: "gone", subresource: "status") { $0["status"] = ["phase": "Running"] } }),
            ("bind a", { store in
                _ = try store.modifyObject(.pods, namespace: "default", name: "a") { object in
                    XCTAssertEqual(object.string("metadata", "labels", "x"), "1", "a later write sees an earlier one")
                    object[path: "spec", "nodeName"] = "agent-1"
                    object["status"] = ["phase": "Pending", "conditions": [["type": "PodScheduled", "status": "True"]]]
                }
            }),
            ("event", { store in store.recordEvent(involving: podObject("a"), type: "Normal", reason: "Scheduled", message: "to agent-1", source: "test") }),
        ])
        XCTAssertEqual(failures?.committed, true)
        XCTAssertEqual(failures?.failures.map(\.what), ["status of missing"])
        let events = await collect(stream!, count: 2)
        XCTAssertEqual(events.map(\.type), [.modified, .modified])
        XCTAssertEqual(events.map { $0.object.string("metadata", "resourceVersion") }, [String(before + 1), String(before + 2)])
        XCTAssertEqual(events.last?.object.string("spec", "nodeName"), "agent-1")
        XCTAssertEqual(events.last?.object.string("status", "phase"), "Pending", "binding and status are one change")
        let after = await store?.currentResourceVersion
        XCTAssertEqual(after, before + 3)
        store = nil
        let reopened = try openStore()
        let pod = try await reopened.get(.pods, namespace: "default", name: "a")
        XCTAssertEqual(pod.string("spec", "nodeName"), "agent-1")
        XCTAssertEqual(pod.string("metadata", "resourceVersion"), String(before + 2))
        let reopenedVersion = await reopened.currentResourceVersion
        XCTAssertEqual(reopenedVersion, before + 3)
        let recorded = try await reopened.list(.events, namespace: "default")
        XCTAssertEqual(recorded.items.compactMap { $0.string("reason") }, ["Scheduled"])
    }

    /// Events last an hour after they last happened (Kubernetes's --event-ttl), then go.
    func testEventsExpireAnHourAfterTheyLastHappened() async throws {
        let store = try openStore()
        let pod = try await store.create(.pods, namespace: "default", object: podObject("web"))
        await store.recordEvent(involving: pod, type: "Normal", reason: "Scheduled", message: "to agent-1", source: "test")
        clock.advance(1800)
        await store.recordEvent(involving: pod, type: "Normal", reason: "Started", message: "Started container main", source: "test")
        clock.advance(1801)
        let expiredFirst = await store.expireEvents()
        XCTAssertEqual(expiredFirst, 1)
        let left = try await store.list(.events, namespace: "default").items.compactMap { $0.string("reason") }
        XCTAssertEqual(left, ["Started"], "the newer event stays")
        await store.recordEvent(involving: pod, type: "Normal", reason: "Scheduled", message: "to agent-1", source: "test")
        let events = try await store.list(.events, namespace: "default").items
        XCTAssertEqual(events.first { $0.string("reason") == "Scheduled" }?["count"], 1, "a repeat after expiry starts anew")
        clock.advance(3601)
        let expiredAll = await store.expireEvents()
        XCTAssertEqual(expiredAll, 2)
        let none = try await store.list(.events, namespace: "default").items
        XCTAssertTrue(none.isEmpty)
    }

    /// A transaction that fails (the disk refuses it) leaves nothing behind: memory, the
    /// resourceVersion and watchers are as before, and the same writes succeed when tried again.
    func testABatchWhoseTransactionFailsIsUndoneAndCanBeRetried() async throws {
        let store = try openStore()
        _ = try await store.create(.pods, namespace: "default", object: podObject("a"))
        let before = await store.currentResourceVersion
        let stream = try await store.watch(.pods, namespace: "default", from: before)
        try runSQL("CREATE TRIGGER refuse BEFORE INSERT ON settings BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        let writes: [(what: String, write: IsolatedWrite)] = [
            ("bind a", { store in _ = try store.modifyObject(.pods, namespace: "default", name: "a") { $0[path: "spec", "nodeName"] = "agent-1" } }),
            ("event", { store in store.recordEvent(involving: podObject("a"), type: "Normal", reason: "Scheduled", message: "m", source: "test") }),
        ]
        let failed = await store.batch(writes)
        XCTAssertFalse(failed.committed)
        XCTAssertEqual(failed.failures.count, 2)
        let unchanged = try await store.get(.pods, namespace: "default", name: "a")
        XCTAssertNil(unchanged.string("spec", "nodeName"), "the change was undone in memory")
        let version = await store.currentResourceVersion
        XCTAssertEqual(version, before)
        let events = try await store.list(.events, namespace: "default").items
        XCTAssertTrue(events.isEmpty)

        try runSQL("DROP TRIGGER refuse;")
        let retried = await store.batch(writes)
        XCTAssertTrue(retried.committed)
        let seen = await collect(stream, count: 1)
        XCTAssertEqual(seen.map { $0.object.string("metadata", "resourceVersion") }, [String(before + 1)],
                       "watchers saw only the committed change")
        let bound = try await store.get(.pods, namespace: "default", name: "a")
        XCTAssertEqual(bound.string("spec", "nodeName"), "agent-1")
    }

    /// Runs SQL on the store's file from another process, as something else touching the disk would.
    private func runSQL(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.close()",
                             directory.file("objects.sqlite"), sql]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not run \(sql)")
    }
}
