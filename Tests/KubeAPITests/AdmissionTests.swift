import KubeAPI
import XCTest

final class AdmissionTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: KubeStore!

    override func setUp() async throws {
        directory = try TemporaryDirectory("admission")
        store = try KubeStore(path: directory.file("db.sqlite"), options: KubeStoreOptions(serviceCIDR: "10.96.0.0/29"),
                              clock: ManualClock().function)
    }

    override func tearDown() async throws {
        store = nil
        directory.remove()
    }

    func invalid(_ resource: KubeResource, _ object: JSON, file: StaticString = #filePath, line: UInt = #line) async -> KubeError? {
        do {
            _ = try await store.create(resource, namespace: "default", object: object)
            XCTFail("\(object.text) was accepted", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.code, 422, error.message, file: file, line: line)
            XCTAssertEqual(error.reason, .invalid, file: file, line: line)
            return error
        }
    }

    func testAContainerWithoutACommandIsRefusedSayingWhy() async throws {
        let error = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"main","image":"nginx","args":["-g"]}]}}"#))
        XCTAssertEqual(error?.message, "Pod \"x\" is invalid: spec.containers[0].command: Required value: Fairway runs processes, not images: give each container a command (image is shown but not pulled)")
        XCTAssertEqual(error?.causes.first?.field, "spec.containers[0].command")
        XCTAssertEqual(error?.kind, "Pod")
        let pods = try await store.list(.pods, namespace: "default")
        XCTAssertTrue(pods.items.isEmpty, "nothing is half-created")
    }

    func testPodValidation() async throws {
        let duplicate = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","command":["x"]},{"name":"a","command":["y"]}]}}"#))
        XCTAssertTrue(duplicate?.message.contains(#"spec.containers[1].name: Duplicate value: "a""#) ?? false, duplicate?.message ?? "")
        let unnamed = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"command":["x"]}]}}"#))
        XCTAssertTrue(unnamed?.message.contains("spec.containers[0].name: Required value") ?? false)
        let quantity = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","command":["x"],"resources":{"requests":{"cpu":"lots"},"limits":{"memory":"1Gi"}}}]}}"#))
        XCTAssertTrue(quantity?.message.contains("spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\"") ?? false, quantity?.message ?? "")
        let over = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","command":["x"],"resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}}"#))
        XCTAssertTrue(over?.message.contains("must be less than or equal to cpu limit") ?? false)
        let badName = await invalid(.pods, podObject("Bad_Name"))
        XCTAssertTrue(badName?.message.contains("metadata.name: Invalid value: \"Bad_Name\"") ?? false)
        let noName = await invalid(.pods, json(#"{"spec":{"containers":[{"name":"a","command":["x"]}]}}"#))
        XCTAssertTrue(noName?.message.contains("name or generateName is required") ?? false)
        let policy = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"restartPolicy":"Sometimes","containers":[{"name":"a","command":["x"]}]}}"#))
        XCTAssertTrue(policy?.message.contains(#"Unsupported value: "Sometimes""#) ?? false)
        let label = await invalid(.pods, podObject("x", labels: ["app": "not valid!"]))
        XCTAssertTrue(label?.message.contains("metadata.labels") ?? false)
        let text = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","command":"sleep 1"}]}}"#))
        XCTAssertTrue(text?.message.contains("spec.containers[0].command: Invalid value: \"sleep 1\": must be a list of strings") ?? false, text?.message ?? "")
        let two = await invalid(.pods, json(#"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#))
        XCTAssertTrue(two?.message.hasPrefix("Pod \"x\" is invalid: [spec.containers[0].command") ?? false, two?.message ?? "")
    }

    func testPodDefaults() async throws {
        let pod = try await store.create(.pods, namespace: "default", object: json("""
            {"metadata":{"name":"web"},"spec":{"containers":[{"name":"a","command":["x"],"ports":[{"containerPort":80}],
             "resources":{"limits":{"cpu":"500m","memory":"64Mi"}}}]}}
            """))
        XCTAssertEqual(pod.string("spec", "restartPolicy"), "Always")
        XCTAssertEqual(pod.string("spec", "dnsPolicy"), "ClusterFirst")
        XCTAssertEqual(pod[path: "spec", "terminationGracePeriodSeconds"], 30)
        let container = pod[path: "spec", "containers"]?[0]
        XCTAssertEqual(container?.string("imagePullPolicy"), "IfNotPresent")
        XCTAssertEqual(container?.string("terminationMessagePolicy"), "File")
        XCTAssertEqual(container?[path: "resources", "requests", "cpu"], "500m", "requests default to limits")
        XCTAssertEqual(container?["ports"]?[0]?.string("protocol"), "TCP")
        XCTAssertEqual(pod.string("status", "phase"), "Pending")
        XCTAssertEqual(pod.string("status", "qosClass"), "Guaranteed")
        XCTAssertEqual(pod.string("metadata", "creationTimestamp"), "2023-11-14T22:13:20Z")
        XCTAssertEqual(pod.string("metadata", "namespace"), "default")
        XCTAssertEqual(pod.string("metadata", "uid")?.count, 36)
        let besteffort = try await store.create(.pods, namespace: "default", object: podObject("be"))
        XCTAssertEqual(besteffort.string("status", "qosClass"), "BestEffort")
        let generated = try await store.create(.pods, namespace: "default", object: json(#"{"metadata":{"generateName":"web-"},"spec":{"containers":[{"name":"a","command":["x"]}]}}"#))
        XCTAssertTrue(generated.name?.hasPrefix("web-") ?? false)
        XCTAssertEqual(generated.name?.count, 9)
    }

    func testQuantities() {
        XCTAssertEqual(Quantity.cpus("500m"), 0.5)
        XCTAssertEqual(Quantity.cpus("1"), 1)
        XCTAssertEqual(Quantity.cpus("0.5"), 0.5)
        XCTAssertEqual(Quantity.cpus(JSON.int(2)), 2)
        XCTAssertEqual(Quantity.cpus(JSON.double(0.25)), 0.25)
        XCTAssertEqual(Quantity.megabytes("64Mi"), 64)
        XCTAssertEqual(Quantity.megabytes("1Gi"), 1024)
        XCTAssertEqual(Quantity.megabytes("128M") ?? 0, 122.07, accuracy: 0.01)
        XCTAssertEqual(Quantity.megabytes("1000000") ?? 0, 0.9537, accuracy: 0.001)
        XCTAssertEqual(Quantity.megabytes("1e6") ?? 0, 0.9537, accuracy: 0.001)
        XCTAssertNil(Quantity.cpus("lots"))
        XCTAssertNil(Quantity.megabytes("12Xi"))
        XCTAssertNil(Quantity.megabytes(""))
    }

    func testServicesGetClusterIPsFromTheCIDR() async throws {
        // 10.96.0.0/29: .0 network, .1 reserved, .7 broadcast: .2 to .6 are handed out.
        func service(_ name: String, ip: String? = nil) -> JSON {
            var object = json(#"{"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}"#)
            object[path: "metadata", "name"] = .string(name)
            if let ip { object[path: "spec", "clusterIP"] = .string(ip) }
            return object
        }
        let first = try await store.create(.services, namespace: "default", object: service("a"))
        XCTAssertEqual(first.string("spec", "clusterIP"), "10.96.0.2")
        XCTAssertEqual(first[path: "spec", "clusterIPs"], ["10.96.0.2"])
        XCTAssertEqual(first.string("spec", "type"), "ClusterIP")
        XCTAssertEqual(first[path: "spec", "ports"]?[0]?.string("protocol"), "TCP")
        XCTAssertEqual(first[path: "spec", "ports"]?[0]?["targetPort"], 80)
        let chosen = try await store.create(.services, namespace: "default", object: service("b", ip: "10.96.0.5"))
        XCTAssertEqual(chosen.string("spec", "clusterIP"), "10.96.0.5")
        let taken = await invalid(.services, service("c", ip: "10.96.0.5"))
        XCTAssertTrue(taken?.message.contains("provided IP is already allocated") ?? false, taken?.message ?? "")
        let outside = await invalid(.services, service("c", ip: "10.97.0.5"))
        XCTAssertTrue(outside?.message.contains("not in the service CIDR") ?? false)
        let headless = try await store.create(.services, namespace: "default", object: service("h", ip: "None"))
        XCTAssertEqual(headless.string("spec", "clusterIP"), "None")
        var names: [String] = []
        for name in ["d", "e", "f"] {
            names.append(try await store.create(.services, namespace: "default", object: service(name)).string("spec", "clusterIP") ?? "")
        }
        XCTAssertEqual(names, ["10.96.0.6", "10.96.0.3", "10.96.0.4"], "walks forward, skips taken addresses, never .0/.1/.7")
        let full = await invalid(.services, service("g"))
        XCTAssertTrue(full?.message.contains("full") ?? false)
        _ = try await store.delete(.services, namespace: "default", name: "d")
        let reused = try await store.create(.services, namespace: "default", object: service("g"))
        XCTAssertEqual(reused.string("spec", "clusterIP"), "10.96.0.6", "released on delete")
        let noPort = await invalid(.services, json(#"{"metadata":{"name":"np"},"spec":{"ports":[{"name":"x"},{"port":81}]}}"#))
        XCTAssertTrue(noPort?.message.contains("spec.ports[0].port: Required value") ?? false, noPort?.message ?? "")
        XCTAssertTrue(noPort?.message.contains("spec.ports[1].name: Required value") ?? false)
        let changed = try? await store.patch(.services, namespace: "default", name: "a", patch: json(#"{"spec":{"clusterIP":"10.96.0.9"}}"#), type: .merge)
        XCTAssertNil(changed, "a cluster IP cannot change")
    }

    func testReplicationControllerDefaultsAndValidation() async throws {
        let rc = try await store.create(.replicationControllers, namespace: "default", object: json("""
            {"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """))
        XCTAssertEqual(rc[path: "spec", "selector"], ["app": "web"])
        XCTAssertEqual(rc[path: "spec", "replicas"], 1)
        XCTAssertEqual(rc[path: "status", "replicas"], 0)
        XCTAssertEqual(rc[path: "metadata", "generation"], 1)
        XCTAssertEqual(rc.stringMap("metadata", "labels"), ["app": "web"])
        XCTAssertEqual(rc.string("spec", "template", "spec", "restartPolicy"), "Always")
        let scaled = try await store.patch(.replicationControllers, namespace: "default", name: "web",
                                           patch: json(#"{"spec":{"replicas":5}}"#), type: .merge, subresource: "scale")
        XCTAssertEqual(scaled.string("kind"), "Scale")
        XCTAssertEqual(scaled.string("apiVersion"), "autoscaling/v1")
        XCTAssertEqual(scaled[path: "spec", "replicas"], 5)
        XCTAssertEqual(scaled.string("status", "selector"), "app=web")
        let stored = try await store.get(.replicationControllers, namespace: "default", name: "web")
        XCTAssertEqual(stored[path: "spec", "replicas"], 5)
        XCTAssertEqual(stored[path: "metadata", "generation"], 2)
        let mismatch = await invalid(.replicationControllers, json("""
            {"metadata":{"name":"bad"},"spec":{"selector":{"app":"db"},"template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"a","command":["x"]}]}}}}
            """))
        XCTAssertTrue(mismatch?.message.contains("`selector` does not match template `labels`") ?? false)
        let noCommand = await invalid(.replicationControllers, json("""
            {"metadata":{"name":"bad"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"nginx"}]}}}}
            """))
        XCTAssertTrue(noCommand?.message.contains("spec.template.spec.containers[0].command: Required value: Fairway runs processes") ?? false)
    }

    func testEventsNeedAnInvolvedObject() async throws {
        _ = await invalid(.events, json(#"{"metadata":{"name":"e"},"reason":"X"}"#))
        let event = try await store.create(.events, namespace: "default", object: json(#"{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"web"},"reason":"X"}"#))
        XCTAssertEqual(event["count"], 1)
        XCTAssertEqual(event.string("firstTimestamp"), "2023-11-14T22:13:20Z")
        XCTAssertEqual(event.string("lastTimestamp"), "2023-11-14T22:13:20Z")
        let endpoints = try await store.create(.endpoints, namespace: "default", object: json(#"{"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.1.0.2"}],"ports":[{"port":80}]}]}"#))
        XCTAssertEqual(endpoints["subsets"]?[0]?["addresses"]?[0]?.string("ip"), "10.1.0.2")
    }
}
