import Foundation
import KubeAPI
import XCTest

/// The kubectl checks both kubectl versions run against a served API.
struct KubectlScenario {
    let api: ServedAPI
    let kubectl: String

    func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) async throws -> ProcessResult {
        try await api.kubectl(kubectl, arguments)
    }

    /// Runs and expects success, returning stdout.
    @discardableResult
    func ok(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let result = try await api.kubectl(kubectl, arguments)
        XCTAssertEqual(result.status, 0, "kubectl \(arguments.joined(separator: " ")): \(result.combined)", file: file, line: line)
        return result.output
    }

    func write(_ name: String, _ text: String) throws -> String { try api.directory.write(name, text) }

    /// create, get (table and JSON), apply twice, scale, get rc, delete.
    func basics() async throws {
        let pod = try write("pod.yaml", Manifests.pod)
        let value1 = try await ok(["create", "-f", pod]).contains("pod/web created")
        XCTAssertTrue(value1)
        let table = try await ok(["get", "pods"])
        let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(lines.first, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], table)
        XCTAssertEqual(lines.dropFirst().first?.prefix(4).map { $0 }, ["web", "0/1", "Pending", "0"], table)
        let listed = try JSON.parse(try await ok(["get", "pods", "-o", "json"]))
        XCTAssertEqual(listed["items"]?[0]?.name, "web")
        XCTAssertEqual(listed["items"]?[0]?.string("status", "phase"), "Pending")

        let first = try write("rc.yaml", Manifests.controller(replicas: 3, image: "busybox:1"))
        let value2 = try await ok(["apply", "-f", first]).contains("replicationcontroller/web created")
        XCTAssertTrue(value2)
        api.recorder.clear()
        let second = try write("rc2.yaml", Manifests.controller(replicas: 2, image: "busybox:2"))
        let value3 = try await ok(["apply", "-f", second]).contains("replicationcontroller/web configured")
        XCTAssertTrue(value3)
        let patch = api.recorder.exchanges.first { $0.method == "PATCH" }
        XCTAssertEqual(patch?.contentType, "application/strategic-merge-patch+json")
        XCTAssertEqual(patch?.status, 200)
        var rc = try await api.store.get(.replicationControllers, namespace: "default", name: "web")
        XCTAssertEqual(rc[path: "spec", "replicas"], 2)
        XCTAssertEqual(rc[path: "spec", "template", "spec", "containers"]?[0]?.string("image"), "busybox:2")
        XCTAssertEqual(rc[path: "spec", "template", "spec", "containers"]?[0]?["command"], ["sleep", "3600"])
        let value4 = try await ok(["apply", "-f", second]).contains("unchanged")
        XCTAssertTrue(value4)

        let value5 = try await ok(["scale", "rc", "web", "--replicas=5"]).contains("scaled")
        XCTAssertTrue(value5)
        rc = try await api.store.get(.replicationControllers, namespace: "default", name: "web")
        XCTAssertEqual(rc[path: "spec", "replicas"], 5)
        let controllers = try await ok(["get", "rc"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(controllers.first, ["NAME", "DESIRED", "CURRENT", "READY", "AGE"])
        XCTAssertEqual(controllers.dropFirst().first?.prefix(4).map { $0 }, ["web", "5", "0", "0"])

        let value6 = try await ok(["delete", "pod", "web"]).contains("pod \"web\" deleted")
        XCTAssertTrue(value6)
        let none = try await run(["get", "pods"])
        XCTAssertTrue(none.combined.contains("No resources found"), none.combined)
        let value7 = try await ok(["delete", "rc", "web"]).contains("deleted")
        XCTAssertTrue(value7)
    }
}
