import Foundation
import KubeAPI
import FairwayTesting
import XCTest

/// Debian's kubectl 1.20 (package kubernetes-client, unpacked by fetch-kubectl-1.20.sh because
/// it conflicts with the installed kubectl) against the handler on a real HTTPServer.
final class Kubectl120Tests: XCTestCase {
    var api: ServedAPI!
    var scenario: KubectlScenario!

    static let binary: Result<String, Error> = {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fetch-kubectl-1.20.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(error)
        }
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            return .failure(SkipReason(message: message))
        }
        return .success(path)
    }()

    struct SkipReason: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    override func setUp() async throws {
        let kubectl: String
        switch Self.binary {
        case .success(let path): kubectl = path
        case .failure(let error):
            throw XCTSkip("kubectl 1.20 could not be downloaded (apt-get download kubernetes-client; no network?): \(error)")
        }
        api = try await ServedAPI.start()
        api.cacheName = "1.20"
        scenario = KubectlScenario(api: api, kubectl: kubectl)
    }

    override func tearDown() async throws {
        await api?.shutdown()
        api = nil
    }

    func testItIsReally120() async throws {
        let output = try await scenario.ok(["version", "--client", "--short"])
        XCTAssertTrue(output.contains("v1.20"), output)
    }

    func testCreateGetApplyScaleDelete() async throws {
        try await scenario.basics()
    }

    func testErrors() async throws {
        let invalid = try await scenario.run(["create", "-f", scenario.write("nocmd.yaml", Manifests.podWithoutCommand)])
        XCTAssertNotEqual(invalid.status, 0)
        XCTAssertTrue(invalid.errors.contains("Fairway runs processes, not images"), invalid.combined)
        XCTAssertTrue(invalid.errors.contains(#"The Pod "nocmd" is invalid: spec.containers[0].command: Required value"#), invalid.combined)
        let pod = try scenario.write("pod.yaml", Manifests.pod)
        try await scenario.ok(["create", "-f", pod])
        let duplicate = try await scenario.run(["create", "-f", pod])
        XCTAssertTrue(duplicate.errors.contains("Error from server (AlreadyExists)"), duplicate.combined)
    }

    func testWatch() async throws {
        let watcher = try api.kubectlChild(scenario.kubectl, ["get", "pods", "-w", "--output-watch-events"])
        defer { watcher.kill() }
        let store = api.store
        try await waitUntil("kubectl 1.20 watches") { await store.watcherCount == 1 }
        _ = try await api.store.create(.pods, namespace: "default", object: podObject("watched"))
        let added = await watcher.waitForOutput(containing: "ADDED")
        _ = try await api.store.delete(.pods, namespace: "default", name: "watched")
        let deleted = await watcher.waitForOutput(containing: "DELETED")
        XCTAssertTrue(added && deleted, watcher.output + watcher.errors)
    }
}
