@testable import Agent
import XCTest

/// The launcher service's message format and bookkeeping, without processes.
final class LauncherWireTests: XCTestCase {
    private let request = LaunchRequest(
        id: "c-1", command: TaskCommand(program: "printf", arguments: ["printf", "%s", "a b", "ü"], searchPath: true),
        environment: ["PATH=/bin", "EMPTY="], sandbox: "/w/s", stdoutPath: "/w/s/stdout", stderrPath: "/w/s/stderr",
        cgroupProcsFiles: ["/sys/fs/cgroup/memory/x/cgroup.procs", "/sys/fs/cgroup/cpu/x/cgroup.procs"])

    func testRequestsAndRepliesSurviveTheWireEvenOneByteAtATime() throws {
        let requests: [LauncherServiceRequest] = [.launch(request), .acknowledge(["a", "b"]), .shutdown, .acknowledge([])]
        let replies: [LauncherServiceReply] = [
            .snapshot(LauncherServiceSnapshot(servicePid: 42, running: [.init(id: "r", pid: 7)], exited: [.init(id: "e", pid: 8, status: 9)])),
            .started(id: "c-1", pid: 1234), .failed(id: "c-2", message: "no fork"), .exited(id: "c-1", pid: 1234, status: 3 << 8),
        ]
        var frames = LauncherWire.FrameBuffer()
        var decoded: [LauncherServiceRequest] = []
        for byte in requests.flatMap({ $0.frame() }) {
            [byte].withUnsafeBytes { frames.append($0) }
            while let payload = try frames.next() { decoded.append(try LauncherServiceRequest(payload: payload)) }
        }
        XCTAssertEqual(decoded, requests)
        XCTAssertTrue(frames.isEmpty)

        let bytes = replies.flatMap { $0.frame() }
        bytes.withUnsafeBytes { frames.append($0) }
        var decodedReplies: [LauncherServiceReply] = []
        while let payload = try frames.next() { decodedReplies.append(try LauncherServiceReply(payload: payload)) }
        XCTAssertEqual(decodedReplies, replies)
    }

    func testMalformedInputIsAnErrorNotACrash() {
        var frame = LauncherServiceRequest.launch(request).frame()
        frame.removeLast(5)
        XCTAssertThrowsError(try LauncherServiceRequest(payload: Array(frame.dropFirst(4))))
        XCTAssertThrowsError(try LauncherServiceRequest(payload: [99]))
        XCTAssertThrowsError(try LauncherServiceRequest(payload: []))
        var huge = LauncherWire.FrameBuffer()
        [UInt8]([0xff, 0xff, 0xff, 0x7f]).withUnsafeBytes { huge.append($0) }
        XCTAssertThrowsError(try huge.next())
        var otherVersion = LauncherServiceSnapshot(servicePid: 1)
        otherVersion.protocolVersion = 99
        XCTAssertThrowsError(try LauncherServiceReply(payload: Array(LauncherServiceReply.snapshot(otherVersion).frame().dropFirst(4)))) {
            XCTAssertTrue("\($0)".contains("protocol version 99"), "\($0)")
        }
    }

    func testLedgerKeepsExitsUntilAcknowledgedAndReplaysThem() {
        var ledger = LauncherServiceLedger(now: 0, idleGrace: 10, recoveryTimeout: 900)
        XCTAssertEqual(ledger.connected(servicePid: 5), .snapshot(LauncherServiceSnapshot(servicePid: 5)))
        ledger.started(id: "a", pid: 100)
        ledger.started(id: "b", pid: 101)
        XCTAssertNotNil(ledger.refusal(of: "a"))
        XCTAssertNil(ledger.refusal(of: "c"))
        XCTAssertEqual(ledger.reaped(pid: 100, status: 256), .exited(id: "a", pid: 100, status: 256))
        XCTAssertNil(ledger.reaped(pid: 999, status: 0), "not a task")
        ledger.disconnected(now: 1)
        XCTAssertEqual(ledger.connected(servicePid: 5), .snapshot(LauncherServiceSnapshot(
            servicePid: 5, running: [.init(id: "b", pid: 101)], exited: [.init(id: "a", pid: 100, status: 256)])))
        ledger.acknowledge(["a", "unknown"])
        XCTAssertFalse(ledger.knows("a"))
        XCTAssertEqual(ledger.connected(servicePid: 5), .snapshot(LauncherServiceSnapshot(servicePid: 5, running: [.init(id: "b", pid: 101)])))
    }

    func testLedgerExitsWhenIdleAndAloneOrStoppedAndEmpty() {
        var ledger = LauncherServiceLedger(now: 0, idleGrace: 10, recoveryTimeout: 900)
        XCTAssertFalse(ledger.shouldExit(now: 5), "waits for the agent that started it")
        XCTAssertTrue(ledger.shouldExit(now: 10))
        _ = ledger.connected(servicePid: 1)
        XCTAssertFalse(ledger.shouldExit(now: 100))
        XCTAssertNil(ledger.secondsUntilExitCheck(now: 100))
        ledger.started(id: "a", pid: 100)
        ledger.disconnected(now: 100)
        XCTAssertFalse(ledger.shouldExit(now: 10_000), "a task runs")
        _ = ledger.reaped(pid: 100, status: 0)
        XCTAssertFalse(ledger.shouldExit(now: 200), "keeps the exit for the next agent")
        XCTAssertEqual(ledger.secondsUntilExitCheck(now: 200), 800)
        XCTAssertTrue(ledger.shouldExit(now: 1000), "no agent came back within the recovery timeout")

        var stopping = LauncherServiceLedger(now: 0)
        _ = stopping.connected(servicePid: 1)
        stopping.started(id: "a", pid: 100)
        stopping.stop()
        XCTAssertNotNil(stopping.refusal(of: "b"))
        XCTAssertFalse(stopping.shouldExit(now: 0))
        _ = stopping.reaped(pid: 100, status: 9)
        XCTAssertTrue(stopping.shouldExit(now: 0))
    }

    func testLauncherArgumentsReadBackWhatTheyRender() throws {
        let arguments = LauncherArguments(sandbox: "/w/s", cgroupProcsFiles: ["/a", "/b"],
                                          command: TaskCommand(program: "ls", arguments: ["ls", "--", "-l"], searchPath: true))
        XCTAssertEqual(try LauncherArguments(parsing: arguments.rendered), arguments)
        XCTAssertThrowsError(try LauncherArguments(parsing: ["--sandbox"]))
        XCTAssertThrowsError(try LauncherArguments(parsing: ["--program", "x", "--"]))
    }

    func testServiceArgumentsParse() throws {
        let arguments = LauncherService.arguments(workDirectory: "/w", idleGrace: 2, recoveryTimeout: 60)
        XCTAssertEqual(arguments.first, LauncherService.commandName)
        XCTAssertEqual(try LauncherService.parse(Array(arguments.dropFirst())).get(),
                       LauncherService.Options(workDirectory: "/w", idleGrace: 2, recoveryTimeout: 60))
        XCTAssertThrowsError(try LauncherService.parse([]).get())
        XCTAssertThrowsError(try LauncherService.parse(["--work-dir", "/w", "--idle-grace", "soon"]).get())
    }
}
