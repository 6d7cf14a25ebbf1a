@testable import Agent
import FairwayProto
import Foundation
import Logging
import XCTest

/// Task cgroups reused through the pool (cgroup v1, as root): what a task sees is what a fresh
/// cgroup would give it.
final class CgroupReuseTests: AgentTestCase {
    /// A v1 isolator in a subtree of its own, or a skip.
    private func isolator(poolCapacity: Int) throws -> CgroupsV1 {
        var logger = Logger(label: "fairway.agent.test")
        logger.logLevel = .critical
        let key = "agent-test-\(UUID().uuidString.prefix(8).lowercased())"
        guard let detected = CgroupsDetection.detect(agentKey: key, logger: logger) as? CgroupsV1 else {
            throw XCTSkip("no writable cgroup v1 memory hierarchy here (not root, or cgroup v2): cgroups are not pooled")
        }
        return CgroupsV1(memoryBase: detected.memoryBase, cpuBase: detected.cpuBase, poolCapacity: poolCapacity)
    }

    private func value(_ path: String) -> Int64? {
        CgroupFiles.integer(path)
    }

    private func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Removes whatever the test left, pooled or not, and the subtree.
    private func cleanUp(_ cgroups: CgroupsV1) {
        for name in cgroups.existingContainers() { _ = cgroups.destroy(containerID: name) }
        cgroups.removeAgentSubtreeIfEmpty()
    }

    func testReusedCgroupGetsTheNextTasksLimitsAndAFreshHighWaterMark() throws {
        let cgroups = try isolator(poolCapacity: 4)
        defer { cleanUp(cgroups) }
        let procs = try cgroups.prepare(containerID: "first", cpus: 0.5, memoryMB: 64)
        // ~8 MB in a shell variable, then the process ends.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", procs.map { "echo $$ > \($0)" }.joined(separator: "; ") + "; x=$(head -c 8000000 /dev/zero | tr '\\0' a); echo ${#x} > /dev/null"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let first = cgroups.memoryBase + "/first"
        XCTAssertGreaterThan(value(first + "/memory.max_usage_in_bytes") ?? 0, 8_000_000)

        XCTAssertTrue(cgroups.release(containerID: "first"))
        XCTAssertFalse(exists(first), "the ended task's cgroup no longer bears its name")
        XCTAssertEqual(cgroups.existingContainers(), [], "an idle cgroup is nobody's container")

        _ = try cgroups.prepare(containerID: "second", cpus: nil, memoryMB: nil)
        XCTAssertEqual(cgroups.pool.state.withLock { $0.reused }, 1)
        let second = cgroups.memoryBase + "/second"
        XCTAssertGreaterThan(value(second + "/memory.limit_in_bytes") ?? 0, 1 << 60, "no limit, as in a new cgroup")
        XCTAssertLessThan(value(second + "/memory.max_usage_in_bytes") ?? .max, 8_000_000, "the last task's peak is not this one's")
        XCTAssertEqual(value(second + "/memory.failcnt"), 0)
        if let cpuBase = cgroups.cpuBase {
            XCTAssertEqual(value(cpuBase + "/second/cpu.shares"), 1024)
            XCTAssertEqual(value(cpuBase + "/second/cpu.cfs_quota_us"), -1)
        }

        XCTAssertTrue(cgroups.release(containerID: "second"))
        _ = try cgroups.prepare(containerID: "third", cpus: 2, memoryMB: 100)
        XCTAssertEqual(cgroups.pool.state.withLock { $0.reused }, 2)
        XCTAssertEqual(value(cgroups.memoryBase + "/third/memory.limit_in_bytes"), 100 << 20)
        if let cpuBase = cgroups.cpuBase {
            XCTAssertEqual(value(cpuBase + "/third/cpu.shares"), 2048)
            XCTAssertEqual(value(cpuBase + "/third/cpu.cfs_quota_us"), 200_000)
            XCTAssertEqual(value(cpuBase + "/third/cpu.cfs_period_us"), 100_000)
        }
    }

    func testPoolKeepsAtMostItsCapacityAndIsRemovedAtShutdown() throws {
        let cgroups = try isolator(poolCapacity: 2)
        defer { cleanUp(cgroups) }
        let ids = ["c1", "c2", "c3", "c4"]
        for id in ids { _ = try cgroups.prepare(containerID: id, cpus: 0.1, memoryMB: 32) }
        for id in ids { XCTAssertTrue(cgroups.release(containerID: id)) }

        let idle = cgroups.pool.state.withLock { $0.idle.map(\.name) }
        XCTAssertEqual(idle.count, 2)
        let left = try FileManager.default.contentsOfDirectory(atPath: cgroups.memoryBase).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: cgroups.memoryBase + "/" + $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        XCTAssertEqual(Set(left), Set(idle), "beyond the capacity, cgroups are removed")

        cgroups.removeAgentSubtreeIfEmpty()
        XCTAssertFalse(exists(cgroups.memoryBase), "shutdown removes the pool and the agent's subtree")
        if let cpuBase = cgroups.cpuBase { XCTAssertFalse(exists(cpuBase)) }
    }

    func testCgroupWithAProcessOrAChildCgroupIsNotPooled() throws {
        let cgroups = try isolator(poolCapacity: 4)
        defer { cleanUp(cgroups) }
        let procs = try cgroups.prepare(containerID: "busy", cpus: nil, memoryMB: 32)
        let stray = Process()
        stray.executableURL = URL(fileURLWithPath: "/bin/sh")
        stray.arguments = ["-c", procs.map { "echo $$ > \($0)" }.joined(separator: "; ") + "; exec sleep 30"]
        try stray.run()
        defer { if stray.isRunning { kill(stray.processIdentifier, SIGKILL) } }
        try waitFor("the stray process to join") { cgroups.processes(containerID: "busy").contains(stray.processIdentifier) }
        XCTAssertFalse(cgroups.release(containerID: "busy"), "a process keeps it")
        XCTAssertTrue(exists(cgroups.memoryBase + "/busy"))
        kill(stray.processIdentifier, SIGKILL)
        stray.waitUntilExit()
        try waitFor("the stray process to leave") { cgroups.processes(containerID: "busy").isEmpty }
        XCTAssertTrue(cgroups.release(containerID: "busy"))
        XCTAssertEqual(cgroups.pool.state.withLock { $0.idle.count }, 1, "empty again: pooled")

        _ = try cgroups.prepare(containerID: "nested", cpus: nil, memoryMB: 32)
        let child = cgroups.memoryBase + "/nested/inner"
        XCTAssertEqual(mkdir(child, 0o755), 0)
        defer { rmdir(child) }
        XCTAssertFalse(cgroups.release(containerID: "nested"), "a child cgroup keeps it from being removed")
        XCTAssertTrue(cgroups.pool.state.withLock { $0.idle.isEmpty }, "nor is it pooled")
        rmdir(child)
        XCTAssertTrue(cgroups.release(containerID: "nested"))
        XCTAssertFalse(exists(cgroups.memoryBase + "/nested"))
    }

    /// Polls a condition for up to 10 s.
    private func waitFor(_ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what)")
                throw CancellationError()
            }
            usleep(10_000)
        }
    }

    func testIdleCgroupsOfADeadAgentAreRemovedByTheNextAgentToStart() throws {
        let cgroups = try isolator(poolCapacity: 4)
        defer { cleanUp(cgroups) }
        // A pid that has certainly ended: a child reaped here.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = "pool-\(ended.processIdentifier)-1"
        let alive = "pool-\(getpid())-7"
        for name in [dead, alive, "not-a-pool"] {
            XCTAssertEqual(mkdir(cgroups.memoryBase + "/" + name, 0o755), 0, name)
        }
        defer { for name in [dead, alive, "not-a-pool"] { rmdir(cgroups.memoryBase + "/" + name) } }

        let fairway = (cgroups.memoryBase as NSString).deletingLastPathComponent
        XCTAssertGreaterThanOrEqual(CgroupsV1.removeAbandonedPools(under: fairway), 1)
        XCTAssertFalse(exists(cgroups.memoryBase + "/" + dead), "the dead agent's idle cgroup is removed")
        XCTAssertTrue(exists(cgroups.memoryBase + "/" + alive), "a running agent's idle cgroup stays")
        XCTAssertTrue(exists(cgroups.memoryBase + "/not-a-pool"), "a task's cgroup stays")
    }

    func testOOMKillInAReusedCgroupIsReportedOnceAndOnlyForThatTask() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        guard let cgroups = await agent.runtime?.cgroups as? CgroupsV1 else {
            throw XCTSkip("no cgroup v1 memory hierarchy here: cgroups are not pooled")
        }
        try await registered(agent)

        master.send(Events.run(Events.task("warm", shell: "true", mem: 32)))
        let warm = try await terminalUpdate("warm", on: master)
        XCTAssertEqual(warm.status.state, .taskFinished)
        XCTAssertEqual(cgroups.pool.state.withLock { $0.idle.count }, 1, "the ended task's cgroup waits for the next")

        master.send(Events.run(Events.task("hog", shell: "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}", mem: 32)))
        let hog = try await terminalUpdate("hog", on: master, timeout: 60)
        XCTAssertEqual(cgroups.pool.state.withLock { $0.reused }, 1, "the hog ran in the reused cgroup")
        XCTAssertEqual(hog.status.reason, .containerLimitationMemory, hog.status.message)
        XCTAssertEqual(master.updates(for: "hog").filter { $0.status.state.isTerminal }.count, 1)
        XCTAssertTrue(cgroups.pool.state.withLock { $0.idle.isEmpty }, "a cgroup that saw an OOM kill is not reused")

        master.send(Events.run(Events.task("fails", shell: "exit 3", mem: 32)))
        let fails = try await terminalUpdate("fails", on: master)
        XCTAssertEqual(fails.status.state, .taskFailed)
        XCTAssertNotEqual(fails.status.reason, .containerLimitationMemory, fails.status.message)
        XCTAssertTrue(fails.status.message.contains("status 3"), fails.status.message)
    }

    func testRestartedAgentRemovesPooledCgroupsAndKeepsTheAdoptedTasks() async throws {
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: true)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster)
        guard let cgroups = await first.runtime?.cgroups as? CgroupsV1 else {
            throw XCTSkip("no cgroup v1 memory hierarchy here: cgroups are not pooled")
        }
        try await registered(first)
        firstMaster.send(Events.run(Events.task("short", shell: "true")))
        _ = try await terminalUpdate("short", on: firstMaster)
        firstMaster.send(Events.run(Events.task("long", shell: "sleep 300")))
        try await eventually("the long task to run") { firstMaster.states(for: "long") == [.taskRunning] ? true : nil }
        XCTAssertEqual(cgroups.pool.state.withLock { $0.reused }, 1, "the long task runs in the short one's cgroup")
        firstMaster.send(Events.run(Events.task("short2", shell: "true")))
        _ = try await terminalUpdate("short2", on: firstMaster)
        let leftover = try XCTUnwrap(cgroups.pool.state.withLock { $0.idle.first?.name })
        // As if the agent crashed: it forgets its pool, and the idle cgroup stays on disk.
        _ = cgroups.pool.state.withLock { $0.drain() }
        await first.shutdown()
        XCTAssertTrue(exists(cgroups.memoryBase + "/" + leftover))

        let secondMaster = FakeMaster(autoAcknowledge: true)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster)
        try await registered(second)
        XCTAssertFalse(exists(cgroups.memoryBase + "/" + leftover), "recovery removes the cgroups a crashed agent pooled")
        if let cpuBase = cgroups.cpuBase { XCTAssertFalse(exists(cpuBase + "/" + leftover)) }
        let longFound = await second.state.task(TaskKey(frameworkID: "fw-1", taskID: "long"))
        let long = try XCTUnwrap(longFound)
        XCTAssertEqual(long.state, .taskRunning)
        XCTAssertTrue(exists(cgroups.memoryBase + "/" + long.containerID), "the adopted task keeps its (reused) cgroup")

        secondMaster.send(Events.kill("long", gracePeriod: 0))
        let killed = try await terminalUpdate("long", on: secondMaster)
        XCTAssertEqual(killed.status.state, .taskKilled)
        // Killed children may take a moment to leave; the cgroup goes then.
        try await eventually("the killed task's cgroup to be released") {
            exists(cgroups.memoryBase + "/" + long.containerID) ? nil : true
        }
    }

    func testBurstOfShortTasksRunsEachOnceThroughTheLaunchWindow() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        let count = 3 * LaunchBacklog.window
        let tasks = (0..<count).map { Events.task("t\($0)", shell: "echo $MESOS_TASK_ID", cpus: 0.01, mem: 32) }
        var event = Events.run(tasks[0])
        event.runTasks.runs = tasks.map { task in
            var run = Fairway_Internal_RunTask()
            run.frameworkInfo = Events.framework()
            run.task = task
            return run
        }
        master.send(event)
        try await eventually("every task to end", timeout: 120) {
            (0..<count).allSatisfy { master.updates(for: "t\($0)").contains { $0.status.state.isTerminal } } ? true : nil
        }
        for index in 0..<count {
            XCTAssertEqual(master.states(for: "t\(index)"), [.taskRunning, .taskFinished], "t\(index)")
        }
        if let cgroups = await agent.runtime?.cgroups as? CgroupsV1 {
            let idle = cgroups.pool.state.withLock { $0.idle.count }
            XCTAssertLessThanOrEqual(idle, CgroupsV1.defaultPoolCapacity)
            XCTAssertEqual(cgroups.existingContainers(), [], "no task's cgroup is left")
        }
    }
}
