@testable import Agent
import Foundation
import Logging
import Synchronization
import XCTest

/// The launcher service on its own, driven through `LauncherServiceClient` as the agent does:
/// the real `fairway launcher-service` process, real forks and execs.
final class LauncherServiceTests: AgentTestCase {
    /// Collects a client's events for assertions.
    final class Recorder: Sendable {
        private let events = Mutex<[LauncherServiceClient.Event]>([])
        func record(_ event: LauncherServiceClient.Event) { events.withLock { $0.append(event) } }
        var all: [LauncherServiceClient.Event] { events.withLock { $0 } }

        func pid(of id: String) -> Int32? {
            all.lazy.compactMap { if case .started(id, let pid) = $0 { pid } else { nil } }.first
        }

        func status(of id: String) -> Int32? {
            all.lazy.compactMap { if case .exited(id, _, let status) = $0 { status } else { nil } }.first
        }
    }

    private var clients: [LauncherServiceClient] = []

    override func tearDown() async throws {
        for client in clients { await client.stop() }
        clients = []
        try await super.tearDown()
    }

    private func service(_ directory: String) throws -> (LauncherServiceClient, LauncherServiceSnapshot, Recorder) {
        guard FileManager.default.isExecutableFile(atPath: Self.launcherExecutable) else {
            throw XCTSkip("the fairway executable is not built at \(Self.launcherExecutable)")
        }
        var logger = Logger(label: "fairway.launcher.test")
        logger.logLevel = .critical
        let client = LauncherServiceClient(executable: Self.launcherExecutable, workDirectory: directory, logger: logger)
        clients.append(client)
        let snapshot = try client.connect()
        let events = Recorder()
        client.startReading { events.record($0) }
        return (client, snapshot, events)
    }

    private func request(_ id: String, in directory: String, shell: String, cgroups: [String] = []) throws -> LaunchRequest {
        let sandbox = directory + "/" + id
        try FileManager.default.createDirectory(atPath: sandbox, withIntermediateDirectories: true)
        return LaunchRequest(id: id, command: TaskCommand(program: "/bin/sh", arguments: ["sh", "-c", shell], searchPath: false),
                             environment: ["PATH=/usr/bin:/bin", "GREETING=hello"], sandbox: sandbox,
                             stdoutPath: sandbox + "/stdout", stderrPath: sandbox + "/stderr", cgroupProcsFiles: cgroups)
    }

    func testTaskOutputLandsInItsFilesAndItsExitStatusComesBack() async throws {
        let directory = try temporaryDirectory()
        let (client, snapshot, events) = try service(directory)
        XCTAssertEqual(snapshot.running, [])
        XCTAssertEqual(snapshot.exited, [])
        XCTAssertNotEqual(snapshot.servicePid, getpid())

        try client.launch([request("one", in: directory, shell: "echo out $GREETING; echo err >&2; pwd; exit 3")])
        let status = try await eventually("the task's exit") { events.status(of: "one") }

        XCTAssertEqual(ProcessExit(waitStatus: status), .exited(3))
        XCTAssertEqual(contents(directory + "/one/stdout"), "out hello\n\(directory)/one\n")
        XCTAssertEqual(contents(directory + "/one/stderr"), "err\n")
        let pid = try XCTUnwrap(events.pid(of: "one"))
        XCTAssertEqual(events.all.first, .started(id: "one", pid: pid), "STARTED comes before EXITED")
    }

    func testTaskRunsInItsOwnSessionWithDefaultSignalsAndNoInheritedDescriptors() async throws {
        let directory = try temporaryDirectory()
        let (client, _, events) = try service(directory)

        // Session id equals the pid; only 0, 1, 2 open; then, in a process that inherits the mask
        // as the task got it (the shell blocks signals while it forks), nothing blocked.
        try client.launch([request("setup", in: directory, shell: """
            echo "$$ $(cut -d' ' -f6 /proc/$$/stat)"; ls /proc/$$/fd; exec grep -E '^Sig(Blk|Ign)' /proc/self/status
            """)])
        _ = try await eventually("the task's exit") { events.status(of: "setup") }

        let lines = try XCTUnwrap(contents(directory + "/setup/stdout")).split(separator: "\n").map(String.init)
        let ids = lines[0].split(separator: " ")
        XCTAssertEqual(ids[0], ids[1], "the task leads its own session")
        XCTAssertEqual(lines.dropFirst().filter { !$0.hasPrefix("Sig") }.sorted(), ["0", "1", "2"],
                       "no descriptor of the service leaks into the task")
        XCTAssertEqual(lines.first { $0.hasPrefix("SigBlk:") }, "SigBlk:\t0000000000000000")
        // Signals 1-31 at their defaults (the service ignores SIGPIPE). glibc keeps its own 32 and 33 out of reach.
        let ignoredLine = try XCTUnwrap(lines.first { $0.hasPrefix("SigIgn:") })
        let ignored = try XCTUnwrap(UInt64(ignoredLine.dropFirst("SigIgn:\t".count), radix: 16))
        XCTAssertEqual(ignored & 0x7fff_ffff, 0, ignoredLine)
    }

    func testTaskJoinsItsCgroup() async throws {
        let directory = try temporaryDirectory()
        guard let cgroups = CgroupsDetection.detect(agentKey: "agent-test-\(UUID().uuidString.prefix(8))", logger: Logger(label: "test")) else {
            throw XCTSkip("cgroups are unavailable here")
        }
        let procs = try cgroups.prepare(containerID: "joined", cpus: 0.5, memoryMB: 64)
        defer {
            _ = cgroups.destroy(containerID: "joined")
            cgroups.removeAgentSubtreeIfEmpty()
        }
        let (client, _, events) = try service(directory)

        try client.launch([request("joined", in: directory, shell: "cat /proc/self/cgroup", cgroups: procs)])
        let status = try await eventually("the task's exit") { events.status(of: "joined") }

        XCTAssertEqual(ProcessExit(waitStatus: status), .exited(0))
        let membership = try XCTUnwrap(contents(directory + "/joined/stdout"))
        XCTAssertTrue(membership.contains("/fairway/agent-test-"), membership)
        XCTAssertTrue(membership.contains("/joined\n"), membership)
    }

    func testMissingProgramIsALaunchErrorInTheSandbox() async throws {
        let directory = try temporaryDirectory()
        let (client, _, events) = try service(directory)
        var absolute = try request("absolute", in: directory, shell: "")
        absolute.command = TaskCommand(program: "/nonexistent/program", arguments: ["program"], searchPath: false)
        var searched = try request("searched", in: directory, shell: "")
        searched.command = TaskCommand(program: "no-such-program-anywhere", arguments: ["no-such-program-anywhere"], searchPath: true)

        try client.launch([absolute, searched])
        let absoluteStatus = try await eventually("the first exit") { events.status(of: "absolute") }
        let searchedStatus = try await eventually("the second exit") { events.status(of: "searched") }

        XCTAssertEqual(ProcessExit(waitStatus: absoluteStatus), .exited(LauncherArguments.failureExitStatus))
        XCTAssertEqual(ProcessExit(waitStatus: searchedStatus), .exited(LauncherArguments.failureExitStatus))
        XCTAssertEqual(contents(directory + "/absolute/" + LauncherArguments.errorFileName),
                       "could not execute /nonexistent/program: No such file or directory")
        XCTAssertEqual(contents(directory + "/searched/" + LauncherArguments.errorFileName),
                       "could not execute no-such-program-anywhere: not found in PATH /usr/bin:/bin")
    }

    func testProgramIsSearchedInTheTasksOwnPathAndScriptsWithoutInterpreterLineRunUnderSh() async throws {
        let directory = try temporaryDirectory()
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: bin + "/hello-tool", contents: Data("#!/bin/sh\necho tool $1\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        _ = FileManager.default.createFile(atPath: bin + "/plain-script", contents: Data("echo plain $1\n".utf8),
                                           attributes: [.posixPermissions: 0o755])
        let (client, _, events) = try service(directory)
        var task = try request("tool", in: directory, shell: "")
        task.command = TaskCommand(program: "hello-tool", arguments: ["hello-tool", "ran"], searchPath: true)
        task.environment = ["PATH=/nonexistent:\(bin):/bin"]
        var script = try request("script", in: directory, shell: "")
        script.command = TaskCommand(program: "plain-script", arguments: ["plain-script", "too"], searchPath: true)
        script.environment = task.environment

        try client.launch([task, script])
        let status = try await eventually("the task's exit") { events.status(of: "tool") }
        let scriptStatus = try await eventually("the script's exit") { events.status(of: "script") }

        XCTAssertEqual(ProcessExit(waitStatus: status), .exited(0))
        XCTAssertEqual(contents(directory + "/tool/stdout"), "tool ran\n")
        XCTAssertEqual(ProcessExit(waitStatus: scriptStatus), .exited(0), "a script without #! runs under /bin/sh, as with execvp")
        XCTAssertEqual(contents(directory + "/script/stdout"), "plain too\n")
    }

    func testManyTasksInParallel() async throws {
        let directory = try temporaryDirectory()
        let (client, _, events) = try service(directory)
        let ids = (0..<200).map { "task-\($0)" }

        try client.launch(try ids.map { try request($0, in: directory, shell: "echo $0 > name; exit $(( ${#PWD} % 7 ))") })
        try await eventually("all 200 exits", timeout: 120) {
            events.all.filter { if case .exited = $0 { true } else { false } }.count == ids.count ? true : nil
        }

        let pids = Set(ids.compactMap(events.pid(of:)))
        XCTAssertEqual(pids.count, ids.count, "one process each")
        for id in ids {
            let sandbox = directory + "/" + id
            XCTAssertEqual(events.status(of: id).map { ProcessExit(waitStatus: $0) }, .exited(Int32(sandbox.utf8.count % 7)), id)
            XCTAssertEqual(contents(sandbox + "/name"), "sh\n")
        }
    }

    func testTheSameIdTwiceIsRefused() async throws {
        let directory = try temporaryDirectory()
        let (client, _, events) = try service(directory)
        let task = try request("twice", in: directory, shell: "sleep 30")

        try client.launch([task, task])
        let message = try await eventually("the refusal") {
            events.all.lazy.compactMap { if case .failed("twice", let message) = $0 { message } else { nil } }.first
        }
        XCTAssertTrue(message.contains("already has a task with container id twice"), message)
    }

    func testExitsWhileNoAgentListensAreReportedToTheNextOne() async throws {
        let directory = try temporaryDirectory()
        let (first, _, firstEvents) = try service(directory)
        try first.launch([try request("waits", in: directory, shell: "while [ ! -e go ]; do sleep 0.01; done; exit 5"),
                          try request("runs", in: directory, shell: "sleep 60")])
        let waiting = try await eventually("the first task to start") { firstEvents.pid(of: "waits") }
        let running = try await eventually("the second task to start") { firstEvents.pid(of: "runs") }
        let servicePid = try XCTUnwrap(first.servicePid)
        first.detach()

        _ = FileManager.default.createFile(atPath: directory + "/waits/go", contents: nil)
        try await eventually("the task to end unseen") { Self.isAlive(waiting) ? nil : true }

        let (second, snapshot, secondEvents) = try service(directory)
        XCTAssertEqual(snapshot.servicePid, servicePid, "the same service is still there")
        XCTAssertEqual(snapshot.running, [.init(id: "runs", pid: running)])
        XCTAssertEqual(snapshot.exited.map(\.id), ["waits"])
        XCTAssertEqual(snapshot.exited.first.map { ProcessExit(waitStatus: $0.status) }, .exited(5))

        // Acknowledged exits are forgotten; the next agent hears only of what is still running.
        second.acknowledge(["waits"])
        kill(running, SIGTERM)
        _ = try await eventually("the running task's exit") { secondEvents.status(of: "runs") }
        second.acknowledge(["runs"])
        second.detach()
        let (_, third, _) = try service(directory)
        XCTAssertEqual(third.running, [])
        XCTAssertEqual(third.exited, [])
    }

    func testStopKillsWhatRunsAndEndsTheService() async throws {
        let directory = try temporaryDirectory()
        let (client, _, events) = try service(directory)
        try client.launch([try request("long", in: directory, shell: "sleep 300")])
        let pid = try await eventually("the task to start") { events.pid(of: "long") }
        let servicePid = try XCTUnwrap(client.servicePid)

        await client.stop()

        XCTAssertFalse(Self.isAlive(pid))
        XCTAssertFalse(Self.isAlive(servicePid))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/" + LauncherService.socketName))
    }

    func testServiceRefusesToRunWithMoreThanOneThread() {
        // This test process has many threads: the check the service makes at start refuses it.
        let problem = LauncherService.singleThreadedProblem()
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem?.contains("must be single-threaded") ?? false, problem ?? "")
    }

    func testServiceStartsSingleThreadedFromTheFairwayBinary() throws {
        // `connect` starts the real binary, which only answers `ready` after its own thread check.
        let directory = try temporaryDirectory()
        let (client, _, _) = try service(directory)
        let pid = try XCTUnwrap(client.servicePid)
        let status = try XCTUnwrap(contents("/proc/\(pid)/status"))
        XCTAssertTrue(status.contains("\nThreads:\t1\n"), status)
        XCTAssertTrue(contents(directory + "/" + LauncherService.logName)?.contains("started for \(directory)") ?? false)
    }

    func testBadArgumentsAreAClearStartError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.launcherExecutable) else { throw XCTSkip("fairway is not built") }
        let client = LauncherServiceClient(executable: Self.launcherExecutable, workDirectory: "/nonexistent/work/dir",
                                           logger: Logger(label: "test"))
        XCTAssertThrowsError(try client.connect()) { error in
            XCTAssertTrue("\(error)".contains("cannot enter the work dir /nonexistent/work/dir"), "\(error)")
        }
    }
}
