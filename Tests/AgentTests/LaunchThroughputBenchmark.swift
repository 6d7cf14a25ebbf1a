@testable import Agent
import FairwayProto
import Foundation
import Glibc
import Logging
import XCTest

/// Not a test of behaviour: how many trivial tasks (`true`) per second one agent runs end to end
/// (RUN_TASKS → TASK_FINISHED acknowledged) against an instant fake master, for each launch method.
/// Skipped unless FAIRWAY_AGENT_BENCH=N (the number of tasks) is set; prints its figures.
final class LaunchThroughputBenchmark: AgentTestCase {
    func testThroughput() async throws {
        guard let text = ProcessInfo.processInfo.environment["FAIRWAY_AGENT_BENCH"], let count = Int(text) else {
            throw XCTSkip("set FAIRWAY_AGENT_BENCH=<tasks> to run the launch throughput benchmark")
        }
        for method in [LaunchMethod.service, .launcherMode, .shell] {
            let master = FakeMaster(autoAcknowledge: true)
            let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master) { $0.launchMethod = method }
            try await registered(agent)
            let start = Date()
            let batch = 50
            for first in stride(from: 0, to: count, by: batch) {
                let tasks = (first..<min(count, first + batch)).map { Events.task("t\($0)", shell: "true", cpus: 0.01, mem: 32) }
                var event = Events.simple(.runTasks)
                event.runTasks.runs = tasks.map { task in
                    var run = Fairway_Internal_RunTask()
                    run.frameworkInfo = Events.framework()
                    run.task = task
                    return run
                }
                master.send(event)
            }
            try await eventually("all tasks to finish", timeout: 600) {
                await agent.state.completed.count >= count ? true : nil
            }
            let seconds = Date().timeIntervalSince(start)
            let finished = master.updates.filter { $0.status.state == .taskFinished }.count
            print("BENCH \(method): \(count) tasks in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(count) / seconds)) tasks/s (\(finished) FINISHED)")
            await agent.shutdown(killTasks: true)
        }
    }

    /// The launch cost alone: N sequential launches of `/bin/true` (each waited for before the
    /// next), through the launcher service, through `posix_spawn` of `fairway launch`, and of the
    /// `/bin/sh` launcher. Skipped unless FAIRWAY_AGENT_BENCH=N is set.
    func testSequentialLaunchCost() async throws {
        guard let text = ProcessInfo.processInfo.environment["FAIRWAY_AGENT_BENCH"], let count = Int(text) else {
            throw XCTSkip("set FAIRWAY_AGENT_BENCH=<launches> to measure the launch cost")
        }
        let directory = try temporaryDirectory()
        let sandbox = directory + "/sandbox"
        try FileManager.default.createDirectory(atPath: sandbox, withIntermediateDirectories: true)
        let command = TaskCommand(program: "/bin/true", arguments: ["true"], searchPath: false)
        let environment = ["PATH": "/usr/bin:/bin"]

        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let client = LauncherServiceClient(executable: Self.launcherExecutable, workDirectory: directory, logger: logger)
        _ = try client.connect()
        let exits = AsyncStream<Void>.makeStream()
        client.startReading { event in if case .exited = event { exits.continuation.yield() } }
        var iterator = exits.stream.makeAsyncIterator()
        let servicePid = try XCTUnwrap(client.servicePid)
        let cpuBefore = Self.cpuTicks(of: servicePid)
        let rssBefore = Self.residentKB(of: servicePid)
        let serviceStart = Date()
        for index in 0..<count {
            try client.launch([LaunchRequest(id: "l\(index)", command: command, environment: ["PATH=/usr/bin:/bin"], sandbox: sandbox,
                                             stdoutPath: sandbox + "/stdout", stderrPath: sandbox + "/stderr", cgroupProcsFiles: [])])
            _ = await iterator.next()
        }
        let serviceSeconds = Date().timeIntervalSince(serviceStart)
        let cpuAfter = Self.cpuTicks(of: servicePid)
        print("BENCH service resident memory: \(rssBefore) kB before, \(Self.residentKB(of: servicePid)) kB after \(count) launches")
        await client.stop()
        report("service", count, serviceSeconds)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        print("BENCH service CPU per launch: \(String(format: "%.3f", (cpuAfter.own - cpuBefore.own) * 1000 / ticks / Double(count))) ms in the service (clone, bookkeeping), \(String(format: "%.3f", (cpuAfter.children - cpuBefore.children) * 1000 / ticks / Double(count))) ms in the child (set-up, exec, /bin/true)")

        for method in [LaunchMethod.launcherMode, .shell] {
            let launcher = Launcher(executable: Self.launcherExecutable, prefix: ["launch"], method: method)
            let start = Date()
            for _ in 0..<count {
                let pid = try launcher.spawn(LauncherArguments(sandbox: sandbox, cgroupProcsFiles: [], command: command), environment: environment)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            report("\(method)", count, Date().timeIntervalSince(start))
        }
    }

    /// utime+stime and cutime+cstime of a process, in clock ticks (`/proc/PID/stat` fields 14-17).
    private static func cpuTicks(of pid: Int32) -> (own: Double, children: Double) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return (0, 0) }
        let fields = stat[stat.index(after: close)...].split(separator: " ").compactMap { Double($0) }
        // fields[0] is the state letter (dropped by compactMap), so utime is index 10 here.
        guard fields.count > 13 else { return (0, 0) }
        return (fields[10] + fields[11], fields[12] + fields[13])
    }

    private static func residentKB(of pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    private func report(_ name: String, _ count: Int, _ seconds: Double) {
        print("BENCH sequential launches via \(name): \(count) in \(String(format: "%.2f", seconds)) s = \(String(format: "%.3f", seconds * 1000 / Double(count))) ms per launch")
    }
}
