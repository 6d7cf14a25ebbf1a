import FairwayHTTP
import Foundation
import KubeAPI
import NIOHTTP1
import XCTest

/// The handler called directly: routing, discovery, Tables and every error path as a Status.
final class HandlerTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: KubeStore!
    var handler: KubeAPIHandler!

    override func setUp() async throws {
        directory = try TemporaryDirectory("handler")
        store = try KubeStore(path: directory.file("db.sqlite"), clock: ManualClock().function)
        handler = KubeAPIHandler(store: store, logs: FakeLogSource(), clock: ManualClock().function)
    }

    override func tearDown() async throws {
        handler = nil
        store = nil
        directory.remove()
    }

    struct Answer {
        var status: Int
        var contentType: String?
        var body: [UInt8]
        var json: JSON { (try? JSON.parse(body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func call(_ method: HTTPMethod, _ uri: String, body: String = "", headers: HTTPHeaders = [:]) async -> Answer {
        switch await handler.handle(HTTPRequest(method: method, uri: uri, headers: headers, body: Array(body.utf8))) {
        case .response(let response):
            return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: response.body)
        case .stream(let head, _):
            return Answer(status: Int(head.status.code), contentType: head.headers.first(name: "Content-Type"), body: head.body)
        }
    }

    func testDiscovery() async throws {
        let api = await call(.GET, "/api?timeout=32s", headers: ["Host": "127.0.0.1:9999"])
        XCTAssertEqual(api.json["versions"], ["v1"])
        XCTAssertEqual(api.json["serverAddressByClientCIDRs"]?[0]?.string("serverAddress"), "127.0.0.1:9999")
        let value1 = await call(.GET, "/apis").json["groups"]
        XCTAssertEqual(value1, [])
        let resources = await call(.GET, "/api/v1").json["resources"]?.arrayValue ?? []
        let pods = resources.first { $0.string("name") == "pods" }
        XCTAssertEqual(pods?["shortNames"], ["po"])
        XCTAssertEqual(pods?["categories"], ["all"])
        XCTAssertEqual(pods?["namespaced"], true)
        XCTAssertEqual(pods?.string("kind"), "Pod")
        let names = Set(resources.compactMap { $0.string("name") })
        for name in ["pods", "pods/status", "pods/log", "services", "endpoints", "replicationcontrollers", "replicationcontrollers/scale",
                     "replicationcontrollers/status", "namespaces", "events"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertEqual(resources.first { $0.string("name") == "replicationcontrollers" }?["shortNames"], ["rc"])
        XCTAssertEqual(resources.first { $0.string("name") == "namespaces" }?["namespaced"], false)
        let version = await call(.GET, "/version?timeout=5s").json
        XCTAssertEqual(version.string("gitVersion"), "v1.32.0-fairway")
        XCTAssertEqual(version.string("major"), "1")
        XCTAssertEqual(version.string("minor"), "32")
        let openapi = await call(.GET, "/openapi/v2?timeout=32s")
        XCTAssertEqual(openapi.status, 200)
        XCTAssertEqual(openapi.contentType, "application/octet-stream")
        XCTAssertTrue(openapi.body.isEmpty)
        let value2 = await call(.GET, "/openapi/v3?timeout=32s").status
        XCTAssertEqual(value2, 404)
        for path in ["/healthz", "/livez", "/readyz"] {
            let health = await call(.GET, path)
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(health.text, "ok")
        }
    }

    func testCreateGetListAsObjectsAndTables() async throws {
        let created = await call(.POST, "/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict",
                                 body: podObject("web", labels: ["app": "web"]).text, headers: ["Content-Type": "application/json"])
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(created.json.string("metadata", "namespace"), "default")
        let list = await call(.GET, "/api/v1/namespaces/default/pods?limit=500&labelSelector=app%3Dweb")
        XCTAssertEqual(list.json.string("kind"), "PodList")
        XCTAssertEqual(list.json["items"]?.arrayValue?.count, 1)
        let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        let table = await call(.GET, "/api/v1/namespaces/default/pods?limit=500", headers: ["Accept": tableAccept])
        XCTAssertEqual(table.contentType, "application/json;as=Table;v=v1;g=meta.k8s.io")
        XCTAssertEqual(table.json.string("kind"), "Table")
        XCTAssertEqual(table.json["rows"]?[0]?["cells"]?[0], "web")
        let all = await call(.GET, "/api/v1/pods", headers: ["Accept": tableAccept])
        XCTAssertEqual(all.json["rows"]?.arrayValue?.count, 1)
        let one = await call(.GET, "/api/v1/namespaces/default/pods/web", headers: ["Accept": tableAccept])
        XCTAssertEqual(one.json["rows"]?.arrayValue?.count, 1)
        let plain = await call(.GET, "/api/v1/namespaces/default/pods/web", headers: ["Accept": "application/vnd.kubernetes.protobuf,application/json"])
        XCTAssertEqual(plain.json.string("kind"), "Pod")
        let value3 = await call(.GET, "/api/v1/namespaces/default/pods?labelSelector=app%3Ddb").json["items"]
        XCTAssertEqual(value3, [])
        let namespaces = await call(.GET, "/api/v1/namespaces")
        XCTAssertEqual(namespaces.json["items"]?.arrayValue?.count, 3)
        let value4 = await call(.GET, "/api/v1/namespaces/kube-system").json.string("status", "phase")
        XCTAssertEqual(value4, "Active")
    }

    func testWritesThroughTheHandler() async throws {
        let dry = await call(.POST, "/api/v1/namespaces/default/pods?dryRun=All", body: podObject("web").text)
        XCTAssertEqual(dry.status, 201)
        let value5 = await call(.GET, "/api/v1/namespaces/default/pods/web").status
        XCTAssertEqual(value5, 404, "a dry run writes nothing")
        _ = await call(.POST, "/api/v1/namespaces/default/pods", body: podObject("web", labels: ["app": "web"]).text)
        _ = await call(.POST, "/api/v1/namespaces/default/pods", body: podObject("db", labels: ["app": "db"]).text)
        var replaced = podObject("web", labels: ["app": "web", "v": "2"])
        replaced[path: "metadata", "namespace"] = "default"
        let put = await call(.PUT, "/api/v1/namespaces/default/pods/web?fieldManager=kubectl-replace", body: replaced.text)
        XCTAssertEqual(put.status, 200)
        XCTAssertEqual(put.json.string("metadata", "labels", "v"), "2")
        let patched = await call(.PATCH, "/api/v1/namespaces/default/pods/web", body: #"{"metadata":{"labels":{"v":"3"}}}"#,
                                 headers: ["Content-Type": "application/strategic-merge-patch+json"])
        XCTAssertEqual(patched.json.string("metadata", "labels", "v"), "3")
        let status = await call(.PATCH, "/api/v1/namespaces/default/pods/web/status", body: #"{"status":{"phase":"Running"}}"#,
                                headers: ["Content-Type": "application/merge-patch+json"])
        XCTAssertEqual(status.json.string("status", "phase"), "Running")
        let deleted = await call(.DELETE, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")
        XCTAssertEqual(deleted.status, 200)
        XCTAssertEqual(deleted.json["items"]?.arrayValue?.compactMap(\.name), ["web"])
        let one = await call(.DELETE, "/api/v1/namespaces/default/pods/db", body: #"{"propagationPolicy":"Background"}"#)
        XCTAssertEqual(one.json.name, "db")
        let gone = await call(.GET, "/api/v1/namespaces/default/pods")
        XCTAssertEqual(gone.json["items"], [])
        _ = await call(.POST, "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#)
        let value6 = await call(.POST, "/api/v1/namespaces/team/pods", body: podObject("x").text).status
        XCTAssertEqual(value6, 201)
        let value7 = await call(.DELETE, "/api/v1/namespaces/team").status
        XCTAssertEqual(value7, 200)
        let value8 = await call(.GET, "/api/v1/namespaces/team/pods/x").status
        XCTAssertEqual(value8, 404)
    }

    func testScaleSubresource() async throws {
        _ = await call(.POST, "/api/v1/namespaces/default/replicationcontrollers", body: """
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web"},"spec":{"replicas":3,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """)
        let scale = await call(.GET, "/api/v1/namespaces/default/replicationcontrollers/web/scale")
        XCTAssertEqual(scale.json.string("kind"), "Scale")
        XCTAssertEqual(scale.json[path: "spec", "replicas"], 3)
        let patched = await call(.PATCH, "/api/v1/namespaces/default/replicationcontrollers/web/scale", body: #"{"spec":{"replicas":5}}"#,
                                 headers: ["Content-Type": "application/merge-patch+json"])
        XCTAssertEqual(patched.json[path: "spec", "replicas"], 5)
        var put = patched.json
        put[path: "spec", "replicas"] = 2
        let value9 = await call(.PUT, "/api/v1/namespaces/default/replicationcontrollers/web/scale", body: put.text).json[path: "spec", "replicas"]
        XCTAssertEqual(value9, 2)
        let value10 = await call(.GET, "/api/v1/namespaces/default/replicationcontrollers/web").json[path: "spec", "replicas"]
        XCTAssertEqual(value10, 2)
    }

    func testErrorsAreStatuses() async throws {
        _ = await call(.POST, "/api/v1/namespaces/default/pods", body: podObject("web").text)
        let cases: [(HTTPMethod, String, String, HTTPHeaders, Int, String)] = [
            (.GET, "/api/v1/namespaces/default/widgets", "", [:], 404, "the server could not find the requested resource"),
            (.GET, "/apis/apps/v1", "", [:], 404, "the server could not find the requested resource"),
            (.GET, "/api/v2/pods", "", [:], 404, "the server could not find the requested resource"),
            (.GET, "/api/v1/namespaces/default/pods/web/exec", "", [:], 404, "the server could not find"),
            (.GET, "/api/v1/namespaces/default/pods/nope", "", [:], 404, #"pods "nope" not found"#),
            (.POST, "/api/v1/namespaces/default/pods", "{\"metadata\": {\n  \"name\": }", [:], 400, "line 2, column 11"),
            (.POST, "/api/v1/namespaces/default/pods", "", [:], 400, "body is empty"),
            (.POST, "/api/v1/namespaces/default/pods", "[1,2]", [:], 400, "must be a JSON object"),
            (.POST, "/api/v1/namespaces/default/pods", #"{"kind":"Service","apiVersion":"v1","metadata":{"name":"x"}}"#, [:], 400, "Service"),
            (.POST, "/api/v1/namespaces/default/pods", #"{"kind":"Pod","apiVersion":"apps/v1","metadata":{"name":"x"}}"#, [:], 400, "apps/v1"),
            (.POST, "/api/v1/namespaces/default/pods", #"{"metadata":{"name":"x","namespace":"other"}}"#, [:], 400, "does not match the namespace"),
            (.POST, "/api/v1/namespaces/default/pods", "kind: Pod", ["Content-Type": "application/yaml"], 415, "JSON"),
            (.POST, "/api/v1/namespaces/default/pods/web", podObject("web").text, [:], 405, "POST"),
            (.POST, "/api/v1/pods", podObject("web").text, [:], 405, "POST"),
            (.PUT, "/api/v1/namespaces/default/pods/web", podObject("other").text, [:], 400, "does not match the name on the URL"),
            (.PATCH, "/api/v1/namespaces/default/pods/web", "{}", ["Content-Type": "application/apply-patch+yaml"], 415, "merge-patch"),
            (.PATCH, "/api/v1/namespaces/default/pods/web", "{}", [:], 415, "merge-patch"),
            (.OPTIONS, "/api/v1/namespaces/default/pods", "", [:], 405, "does not allow"),
            (.GET, "/api/v1/namespaces/default/pods?labelSelector=a%20in%20b", "", [:], 400, "unable to parse requirement"),
            (.GET, "/api/v1/namespaces/default/pods?fieldSelector=spec.foo%3Dx", "", [:], 400, "field label not supported"),
            (.GET, "/api/v1/namespaces/default/pods?watch=maybe", "", [:], 400, "watch=maybe"),
            (.GET, "/api/v1/namespaces/default/pods?resourceVersion=abc&watch=1", "", [:], 400, "resourceVersion"),
            (.GET, "/api/v1/namespaces/default/pods?dryRun=Some", "", [:], 400, "dryRun"),
            (.DELETE, "/api/v1/namespaces/default/pods/web", #"{"propagationPolicy":"Sideways"}"#, [:], 400, "Sideways"),
            (.DELETE, "/api/v1/namespaces/default", "", [:], 403, "may not be deleted"),
            (.GET, "/api/v1/namespaces/default/pods/web/log?tailLines=-1", "", [:], 400, "tailLines"),
            (.GET, "/api/v1/namespaces/default/pods/web/log?container=nope", "", [:], 400, "container nope is not valid for pod web"),
        ]
        for (method, uri, body, headers, code, fragment) in cases {
            let answer = await call(method, uri, body: body, headers: headers)
            XCTAssertEqual(answer.status, code, "\(method) \(uri): \(answer.text)")
            XCTAssertEqual(answer.json.string("kind"), "Status", "\(method) \(uri)")
            XCTAssertEqual(answer.json["code"]?.intValue, Int64(code), "\(method) \(uri)")
            XCTAssertTrue(answer.json.string("message")?.contains(fragment) ?? false, "\(method) \(uri): \(answer.text)")
        }
    }

    func testGarbageNeverCrashes() async throws {
        let paths = ["/", "//", "/api/v1/namespaces//pods", "/api/v1/namespaces/default/pods/%zz", "/api/v1/watch", "/api/v1/watch/namespaces",
                     "/api/v1/namespaces/default/pods/a/b/c/d", "/api/v1/namespaces/default/pods?labelSelector=%", "/api/v1/namespaces/default/pods?=&&=x",
                     "/version/x", "/openapi", "/api/v1/namespaces/default/events?fieldSelector=%5C"]
        for path in paths {
            for method in [HTTPMethod.GET, .POST, .PUT, .PATCH, .DELETE] {
                for body in ["", "{", "null", "\u{0}\u{1}", #"{"metadata":[]}"#, #"{"spec":{"containers":"no"}}"#, #"[{"op":"add"}]"#] {
                    let answer = await call(method, path, body: body, headers: ["Content-Type": "application/json-patch+json"])
                    XCTAssertTrue((200..<600).contains(answer.status), "\(method) \(path)")
                }
            }
        }
    }

    func testBearerTokenWhenConfigured() async throws {
        let guarded = KubeAPIHandler(store: store, bearerToken: "s3cret")
        func status(_ headers: HTTPHeaders, _ path: String = "/api/v1/namespaces") async -> Int {
            switch await guarded.handle(HTTPRequest(method: .GET, uri: path, headers: headers)) {
            case .response(let response): return Int(response.status.code)
            case .stream(let head, _): return Int(head.status.code)
            }
        }
        let missing = await status([:])
        XCTAssertEqual(missing, 401)
        let wrong = await status(["Authorization": "Bearer nope"])
        XCTAssertEqual(wrong, 401)
        let right = await status(["Authorization": "Bearer s3cret"])
        XCTAssertEqual(right, 200)
        let health = await status([:], "/healthz")
        XCTAssertEqual(health, 200)
    }

    func testLogsWithoutFollow() async throws {
        _ = await call(.POST, "/api/v1/namespaces/default/pods", body: podObject("web").text)
        let log = await call(.GET, "/api/v1/namespaces/default/pods/web/log?container=main&tailLines=2")
        XCTAssertEqual(log.status, 200)
        XCTAssertEqual(log.contentType, "text/plain")
        XCTAssertEqual(log.text, "main tail=2\nline 1\nline 2\n")
        let failing = await call(.GET, "/api/v1/namespaces/default/pods/web/log?container=main&limitBytes=0")
        XCTAssertEqual(failing.status, 400)
        XCTAssertEqual(failing.json.string("message"), "container \"main\" in pod \"web\" is waiting to start: ContainerCreating")
        var two = podObject("two")
        two[path: "spec", "containers"] = [["name": "a", "command": ["x"]], ["name": "b", "command": ["y"]]]
        _ = await call(.POST, "/api/v1/namespaces/default/pods", body: two.text)
        let unnamed = await call(.GET, "/api/v1/namespaces/default/pods/two/log")
        XCTAssertEqual(unnamed.json.string("message"), "a container name must be specified for pod two, choose one of: [a b]")
        let value11 = await call(.GET, "/api/v1/namespaces/default/pods/two/log?container=b").text
        XCTAssertEqual(value11, "b\nline 1\nline 2\n")
    }
}

/// Answers logs from memory: a header line naming the container (and tail), two lines, then
/// with `follow` a line every 20 ms until the client goes away. `limitBytes=0` fails the way
/// a pod that has not started yet does.
struct FakeLogSource: PodLogSource {
    let active = ActiveCounter()

    func streamLog(namespace: String, pod: JSON, container: String?, follow: Bool, tailLines: Int?, limitBytes: Int?,
                   write: @escaping @Sendable ([UInt8]) async -> Bool) async throws(KubeError) {
        if limitBytes == 0 {
            throw KubeError.badRequest("container \"\(container ?? "")\" in pod \"\(pod.name ?? "")\" is waiting to start: ContainerCreating")
        }
        active.add(1)
        defer { active.add(-1) }
        let header = (container ?? "?") + (tailLines.map { " tail=\($0)" } ?? "") + "\n"
        for line in [header, "line 1\n", "line 2\n"] {
            guard await write(Array(line.utf8)) else { return }
        }
        guard follow else { return }
        var tick = 0
        while !Task.isCancelled {
            tick += 1
            guard await write(Array("tick \(tick)\n".utf8)) else { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

final class ActiveCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ delta: Int) { lock.withLock { count += delta } }
    var value: Int { lock.withLock { count } }
}
