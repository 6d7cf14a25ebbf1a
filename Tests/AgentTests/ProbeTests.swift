@testable import Agent
import FairwayProto
import Foundation
import Glibc
import XCTest

final class ProbeTests: XCTestCase {
    private let host = ProbeRunner.Target(host: "127.0.0.1", commandPrefix: [], environment: ["PATH": "/usr/bin:/bin"],
                                          directory: "/tmp")

    private func spec(_ action: ProbeSpec.Action, timeout: Double = 2) -> ProbeSpec {
        ProbeSpec(action: action, delay: 0, interval: 0.05, timeout: timeout)
    }

    func testLivenessTurnsUnhealthyOnceAndKillsAfterConsecutiveFailures() {
        var liveness = LivenessTracker(consecutiveFailures: 3, gracePeriod: 0, startedAt: 0)
        XCTAssertEqual(liveness.record(.httpStatus(200), at: 1), [.healthChanged(healthy: true, why: nil)])
        XCTAssertEqual(liveness.record(.httpStatus(200), at: 2), [])
        let why = ProbeResult.httpStatus(500).why
        XCTAssertEqual(liveness.record(.httpStatus(500), at: 3), [.healthChanged(healthy: false, why: why)])
        XCTAssertEqual(liveness.record(.httpStatus(500), at: 4), [])
        XCTAssertEqual(liveness.record(.httpStatus(500), at: 5), [.kill(why: why)])
        XCTAssertEqual(liveness.record(.httpStatus(200), at: 6), [], "nothing counts after the kill")
    }

    func testLivenessSuccessResetsTheFailureCountAndGraceIgnoresEarlyFailures() {
        var liveness = LivenessTracker(consecutiveFailures: 2, gracePeriod: 10, startedAt: 100)
        XCTAssertEqual(liveness.record(.exited(1), at: 105), [], "within the grace period")
        XCTAssertNil(liveness.healthy)
        _ = liveness.record(.exited(1), at: 111)
        XCTAssertEqual(liveness.record(.exited(0), at: 112), [.healthChanged(healthy: true, why: nil)])
        XCTAssertEqual(liveness.record(.exited(1), at: 113).count, 1, "one failure after a pass: unhealthy, not killed")
        XCTAssertEqual(liveness.record(.timedOut(1), at: 114), [.kill(why: "timed out after 1 s")])
    }

    func testReadinessReportsTheFirstResultAndEveryChange() {
        var readiness = ReadinessTracker()
        XCTAssertTrue(readiness.record(.connected(false, "refused")))
        XCTAssertFalse(readiness.record(.connected(false, "refused")))
        XCTAssertTrue(readiness.record(.connected(true, "")))
        XCTAssertFalse(readiness.record(.connected(true, "")))
        XCTAssertTrue(readiness.record(.timedOut(1)))
        XCTAssertEqual(readiness.ready, false)
    }

    func testCheckStatusCarriesTheResultOrAnEmptyInnerMessage() {
        let http = ProbeResult.httpStatus(204).checkStatus(.http)
        XCTAssertTrue(http.hasHTTP && http.http.hasStatusCode)
        XCTAssertEqual(http.http.statusCode, 204)
        let timedOut = ProbeResult.timedOut(1).checkStatus(.http)
        XCTAssertTrue(timedOut.hasHTTP)
        XCTAssertFalse(timedOut.http.hasStatusCode, "a probe that did not finish has an empty inner message")
        let tcp = ProbeResult.connected(false, "refused").checkStatus(.tcp)
        XCTAssertTrue(tcp.tcp.hasSucceeded)
        XCTAssertFalse(tcp.tcp.succeeded)
        let command = ProbeResult.exited(2).checkStatus(.command)
        XCTAssertEqual(command.command.exitCode, 2)
        XCTAssertEqual(command.type, .command)
    }

    func testSpecsFromHealthChecksAndChecks() throws {
        var health = Fairway_V1_HealthCheck()
        health.type = .http
        health.http.port = 8080
        health.http.path = "healthz"
        health.delaySeconds = 2
        health.intervalSeconds = 3
        health.timeoutSeconds = 1
        health.consecutiveFailures = 4
        let liveness = try ProbeSpec.liveness(health).get()
        XCTAssertEqual(liveness.action, .http(port: 8080, path: "/healthz"))
        XCTAssertEqual([liveness.delay, liveness.interval, liveness.timeout], [2, 3, 1])
        XCTAssertEqual(liveness.consecutiveFailures, 4)

        var check = Fairway_V1_CheckInfo()
        check.type = .command
        check.command.command.shell = false
        check.command.command.value = "cat"
        check.command.command.arguments = ["cat", "/tmp/ready"]
        let readiness = try ProbeSpec.readiness(check).get()
        XCTAssertEqual(readiness.action, .command(TaskCommand(program: "cat", arguments: ["cat", "/tmp/ready"], searchPath: true)))
        XCTAssertEqual(readiness.delay, 15, "Mesos's default delay")

        var broken = Fairway_V1_HealthCheck()
        broken.type = .tcp
        XCTAssertThrowsError(try ProbeSpec.liveness(broken).get())
    }

    func testHTTPProbeReadsTheStatusAndTimesOutOnASilentServer() async throws {
        let server = try TinyHTTPServer()
        defer { server.stop() }
        let ok = await ProbeRunner.probe(spec(.http(port: server.port, path: "/healthz")), target: host)
        XCTAssertEqual(ok, .httpStatus(200))
        server.set(status: 503)
        let failing = await ProbeRunner.probe(spec(.http(port: server.port, path: "/")), target: host)
        XCTAssertEqual(failing, .httpStatus(503))
        XCTAssertFalse(failing.passed)
        server.set(silent: true)
        let silent = await ProbeRunner.probe(spec(.http(port: server.port, path: "/"), timeout: 0.3), target: host)
        XCTAssertEqual(silent, .timedOut(0.3))
    }

    func testTCPProbeConnectsOrSaysWhyNot() async throws {
        let server = try TinyHTTPServer()
        let port = server.port
        let connected = await ProbeRunner.probe(spec(.tcp(port: port)), target: host)
        XCTAssertEqual(connected, .connected(true, ""))
        server.stop()
        let refused = await ProbeRunner.probe(spec(.tcp(port: port)), target: host)
        guard case .connected(false, let why) = refused else { return XCTFail("\(refused)") }
        XCTAssertTrue(why.contains("refused"), why)
    }

    func testCommandProbeRunsWithTheTaskEnvironmentAndIsKilledAtTheTimeout() async throws {
        let marker = NSTemporaryDirectory() + "probe-\(UUID().uuidString.prefix(8))"
        defer { unlink(marker) }
        var target = host
        target.environment["MARKER"] = marker
        let sh = TaskCommand(program: "sh", arguments: ["sh", "-c", "echo $$ > \"$MARKER\"; exit 3"], searchPath: true)
        let exited = await ProbeRunner.probe(spec(.command(sh)), target: target)
        XCTAssertEqual(exited, .exited(3))
        XCTAssertNotNil(try? String(contentsOfFile: marker, encoding: .utf8))

        let slow = TaskCommand(program: "/bin/sh", arguments: ["sh", "-c", "echo $$ > \"$MARKER\"; exec sleep 30"], searchPath: false)
        let timedOut = await ProbeRunner.probe(spec(.command(slow), timeout: 0.3), target: target)
        XCTAssertEqual(timedOut, .timedOut(0.3))
        let pid = try XCTUnwrap(Int32((try String(contentsOfFile: marker, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertNotEqual(kill(pid, 0), 0, "the timed-out probe command is gone")

        let missing = TaskCommand(program: "no-such-probe-command", arguments: [], searchPath: true)
        let failed = await ProbeRunner.probe(spec(.command(missing)), target: target)
        XCTAssertFalse(failed.passed)
    }

    func testRunnerReportsUntilCancelled() async throws {
        let server = try TinyHTTPServer()
        defer { server.stop() }
        let results = ResultBox()
        let runner = ProbeRunner.start(spec(.tcp(port: server.port)), target: host) { await results.add($0) }
        let deadline = Date().addingTimeInterval(10)
        while await results.count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        runner.cancel()
        await runner.value
        let count = await results.count
        XCTAssertGreaterThanOrEqual(count, 3)
        XCTAssertTrue(runner.isCancelled, "the runner has ended: no results come after cancellation")
    }
}

private actor ResultBox {
    private(set) var results: [ProbeResult] = []
    var count: Int { results.count }
    func add(_ result: ProbeResult) { results.append(result) }
}
