import KubeAPI
import XCTest

/// The three patch types, through the store (as the API applies them).
final class PatchTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: KubeStore!

    override func setUp() async throws {
        directory = try TemporaryDirectory("patch")
        store = try KubeStore(path: directory.file("db.sqlite"), clock: ManualClock().function)
    }

    override func tearDown() async throws {
        store = nil
        directory.remove()
    }

    func makePod() async throws -> JSON {
        try await store.create(.pods, namespace: "default", object: json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nginx","labels":{"app":"web"},"annotations":{"keep":"me"}},
             "spec":{"containers":[
               {"name":"nginx","image":"nginx:1.19","command":["nginx"],"ports":[{"containerPort":80},{"containerPort":443}],
                "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
               {"name":"sidecar","image":"busybox","command":["sleep","1"]}]}}
            """))
    }

    func testTheStrategicPatchKubectlApplySentForAnImageChange() async throws {
        _ = try await makePod()
        let patch = json(#"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"x\":1}\n"}},"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.20","name":"nginx"}]}}"#)
        let patched = try await store.patch(.pods, namespace: "default", name: "nginx", patch: patch, type: .strategic)
        let containers = patched[path: "spec", "containers"]?.arrayValue ?? []
        XCTAssertEqual(containers.map { $0.string("name") }, ["nginx", "sidecar"])
        XCTAssertEqual(containers.first?.string("image"), "nginx:1.20")
        XCTAssertEqual(containers.first?["command"], ["nginx"], "fields the patch does not name are kept")
        XCTAssertEqual(containers.first?["ports"]?.arrayValue?.count, 2)
        XCTAssertEqual(patched.string("metadata", "annotations", "keep"), "me")
        XCTAssertEqual(patched.string("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"), "{\"x\":1}\n")
        XCTAssertNotEqual(patched.string("metadata", "resourceVersion"), nil)
    }

    func testStrategicListsMergeByTheirKeysAndDirectivesWork() async throws {
        _ = try await makePod()
        let patch = json("""
            {"metadata":{"labels":{"app":null,"tier":"fe"}},
             "spec":{"containers":[
               {"name":"nginx","ports":[{"containerPort":8080},{"containerPort":443,"$patch":"delete"}],
                "env":[{"name":"B","value":"two"},{"name":"C","value":"3"}],
                "$setElementOrder/env":[{"name":"C"},{"name":"A"},{"name":"B"}]},
               {"name":"sidecar","$patch":"delete"}]}}
            """)
        let patched = try await store.patch(.pods, namespace: "default", name: "nginx", patch: patch, type: .strategic)
        XCTAssertEqual(patched.stringMap("metadata", "labels"), ["tier": "fe"])
        let containers = patched[path: "spec", "containers"]?.arrayValue ?? []
        XCTAssertEqual(containers.count, 1)
        XCTAssertEqual(containers[0]["ports"]?.arrayValue?.compactMap { $0["containerPort"]?.intValue }, [80, 8080])
        XCTAssertEqual(containers[0]["env"]?.arrayValue?.map { $0.string("name") ?? "" }, ["C", "A", "B"])
        XCTAssertEqual(containers[0]["env"]?.arrayValue?.map { $0.string("value") ?? "" }, ["3", "1", "two"])
    }

    func testStrategicReplaceRetainKeysAndPrimitiveLists() async throws {
        _ = try await makePod()
        _ = try await store.patch(.pods, namespace: "default", name: "nginx",
                                  patch: json(#"{"metadata":{"finalizers":["a","b"]}}"#), type: .strategic)
        var patched = try await store.patch(.pods, namespace: "default", name: "nginx",
                                            patch: json(#"{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}}"#), type: .strategic)
        XCTAssertEqual(patched[path: "metadata", "finalizers"], ["b", "c"], "finalizers merge as a set")
        patched = try await store.patch(.pods, namespace: "default", name: "nginx",
                                        patch: json(#"{"spec":{"containers":[{"name":"only","command":["x"]},{"$patch":"replace"}]}}"#), type: .strategic)
        XCTAssertEqual(patched[path: "spec", "containers"]?.arrayValue?.compactMap { $0.string("name") }, ["only"])
        patched = try await store.patch(.pods, namespace: "default", name: "nginx",
                                        patch: json(#"{"metadata":{"annotations":{"$patch":"replace","new":"x"}}}"#), type: .strategic)
        XCTAssertEqual(patched.stringMap("metadata", "annotations"), ["new": "x"])
        patched = try await store.patch(.pods, namespace: "default", name: "nginx",
                                        patch: json(#"{"metadata":{"labels":{"$retainKeys":["app","z"],"z":"1"}}}"#), type: .strategic)
        XCTAssertEqual(patched.stringMap("metadata", "labels"), ["app": "web", "z": "1"])
    }

    func testServicePortsMergeByPort() async throws {
        _ = try await store.create(.services, namespace: "default", object: json(#"{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443}]}}"#))
        let patched = try await store.patch(.services, namespace: "default", name: "web",
                                            patch: json(#"{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"#), type: .strategic)
        let ports = patched[path: "spec", "ports"]?.arrayValue ?? []
        XCTAssertEqual(ports.count, 2)
        XCTAssertEqual(ports.first?["targetPort"], 9090)
        XCTAssertEqual(ports.first?.string("name"), "http")
    }

    func testMergePatchReplacesLists() async throws {
        _ = try await makePod()
        let patched = try await store.patch(.pods, namespace: "default", name: "nginx",
                                            patch: json(#"{"metadata":{"labels":{"app":null,"x":"y"}},"spec":{"containers":[{"name":"solo","command":["true"]}]}}"#),
                                            type: .merge)
        XCTAssertEqual(patched.stringMap("metadata", "labels"), ["x": "y"])
        XCTAssertEqual(patched[path: "spec", "containers"]?.arrayValue?.count, 1)
    }

    func testJSONPatchOperations() async throws {
        _ = try await makePod()
        let patch = json("""
            [{"op":"test","path":"/metadata/labels/app","value":"web"},
             {"op":"add","path":"/metadata/labels/tier","value":"fe"},
             {"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},
             {"op":"copy","from":"/metadata/labels/tier","path":"/metadata/annotations/tier"},
             {"op":"move","from":"/metadata/annotations/keep","path":"/metadata/annotations/kept"},
             {"op":"remove","path":"/spec/containers/1"},
             {"op":"add","path":"/spec/containers/0/ports/-","value":{"containerPort":9000}},
             {"op":"add","path":"/metadata/labels/a~1b","value":"slash"}]
            """)
        let patched = try await store.patch(.pods, namespace: "default", name: "nginx", patch: patch, type: .json)
        XCTAssertEqual(patched.stringMap("metadata", "labels"), ["app": "web", "tier": "fe", "a/b": "slash"])
        XCTAssertEqual(patched.stringMap("metadata", "annotations"), ["tier": "fe", "kept": "me"])
        XCTAssertEqual(patched[path: "spec", "containers"]?.arrayValue?.count, 1)
        XCTAssertEqual(patched[path: "spec", "containers"]?[0]?.string("image"), "nginx:2")
        XCTAssertEqual(patched[path: "spec", "containers"]?[0]?["ports"]?.arrayValue?.count, 3)
    }

    func testFailingPatchesLeaveTheObjectAlone() async throws {
        let pod = try await makePod()
        let failing: [(JSON, PatchType, Int)] = [
            (json(#"[{"op":"test","path":"/metadata/name","value":"other"}]"#), .json, 422),
            (json(#"[{"op":"remove","path":"/metadata/nothing"}]"#), .json, 422),
            (json(#"[{"op":"jump","path":"/a"}]"#), .json, 400),
            (json(#"{"op":"add"}"#), .json, 400),
            (json(#"[1]"#), .strategic, 400),
            (json(#"{"metadata":{"resourceVersion":"1"},"spec":{"restartPolicy":"Never"}}"#), .merge, 409),
        ]
        for (patch, type, code) in failing {
            do {
                _ = try await store.patch(.pods, namespace: "default", name: "nginx", patch: patch, type: type)
                XCTFail("\(patch.text) should fail")
            } catch {
                XCTAssertEqual(error.code, code, patch.text)
            }
        }
        let current = try await store.get(.pods, namespace: "default", name: "nginx")
        XCTAssertEqual(current, pod)
    }

    func testContentTypesPickThePatchType() {
        XCTAssertEqual(PatchType(contentType: "application/strategic-merge-patch+json"), .strategic)
        XCTAssertEqual(PatchType(contentType: "application/merge-patch+json; charset=utf-8"), .merge)
        XCTAssertEqual(PatchType(contentType: "application/json-patch+json"), .json)
        XCTAssertNil(PatchType(contentType: "application/apply-patch+yaml"))
    }
}
