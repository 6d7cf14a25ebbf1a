import Foundation
import Glibc
import Logging
import Synchronization

/// Starts, signals and reaps task processes, and owns their cgroups: the agent's containerizer.
/// It knows containers only by id and pid; what a task *is* stays in `AgentState`. Exits come out
/// of `exits` with the container's cgroups already removed (and an OOM kill already detected).
final class ContainerRuntime: Sendable {
    private struct Running: Sendable {
        var pid: Int32
        var sandbox: String
    }

    let launcher: Launcher
    let cgroups: (any CgroupIsolator)?
    let logger: Logger
    let exits: AsyncStream<ContainerExit>
    private let continuation: AsyncStream<ContainerExit>.Continuation
    private let running = Mutex<[String: Running]>([:])
    private let reaper: ChildReaper
    /// Cgroup removals still being retried in the background.
    private let pendingRemovals = Mutex(0)

    init(launcher: Launcher, cgroups: (any CgroupIsolator)?, logger: Logger) throws(AgentError) {
        self.launcher = launcher
        self.cgroups = cgroups
        self.logger = logger
        (exits, continuation) = AsyncStream.makeStream(of: ContainerExit.self)
        reaper = try ChildReaper()
        reaper.start { [weak self] exit in self?.processEnded(exit) }
    }

    var runningCount: Int { running.withLock { $0.count } }

    /// Prepares the cgroups and spawns the launcher. Returns the pid.
    func launch(_ spec: ContainerSpec) throws(AgentError) -> Int32 {
        var procs: [String] = []
        if let cgroups {
            procs = try cgroups.prepare(containerID: spec.containerID, cpus: spec.cpus, memoryMB: spec.memoryMB)
        }
        let arguments = LauncherArguments(sandbox: spec.sandbox, cgroupProcsFiles: procs, command: spec.command)
        let pid: Int32
        do {
            pid = try launcher.spawn(arguments, environment: spec.environment)
        } catch {
            _ = cgroups?.destroy(containerID: spec.containerID)
            throw error
        }
        running.withLock { $0[spec.containerID] = Running(pid: pid, sandbox: spec.sandbox) }
        reaper.watch(pid: pid, token: spec.containerID)
        return pid
    }

    /// Watches a task process that a previous agent started. If it is gone, or its pid now names
    /// another process (start time differs), its exit is reported at once with an unknown status.
    func adopt(containerID: String, pid: Int32, startTime: UInt64?, sandbox: String) {
        running.withLock { $0[containerID] = Running(pid: pid, sandbox: sandbox) }
        let current = Self.startTime(of: pid)
        guard current != nil, startTime == nil || current == startTime else {
            processEnded(ChildReaper.Exit(pid: pid, token: containerID, exit: .unknown))
            return
        }
        reaper.watch(pid: pid, token: containerID)
    }

    /// Sends `signal` to the container's process group and, with `wholeContainer`, to every process
    /// left in its cgroups (children that started their own session).
    func signal(containerID: String, _ signal: Int32, wholeContainer: Bool = false) {
        guard let pid = running.withLock({ $0[containerID]?.pid }) else { return }
        if kill(-pid, signal) != 0 && errno == ESRCH { _ = kill(pid, signal) }
        if wholeContainer, let cgroups {
            for member in cgroups.processes(containerID: containerID) { _ = kill(member, signal) }
        }
    }

    func isRunning(containerID: String) -> Bool {
        running.withLock { $0[containerID] != nil }
    }

    /// Removes cgroups under this agent's subtree that belong to no known container (left by an
    /// agent that died), killing what is still in them.
    func removeStaleCgroups(keeping known: Set<String>) {
        guard let cgroups else { return }
        for containerID in cgroups.existingContainers() where !known.contains(containerID) {
            for pid in cgroups.processes(containerID: containerID) { _ = kill(pid, SIGKILL) }
            removeCgroups(containerID)
        }
    }

    /// Stops watching. With `killAll`, first kills every container and waits (up to `timeout`
    /// seconds) until they are reaped and cleaned up; without, processes keep running for the next
    /// agent to adopt.
    func shutdown(killAll: Bool, timeout: Double = 10) async {
        if killAll {
            let ids = running.withLock { Array($0.keys) }
            for id in ids { signal(containerID: id, SIGKILL, wholeContainer: true) }
            let deadline = Date().addingTimeInterval(timeout)
            while (runningCount > 0 || pendingRemovals.withLock({ $0 }) > 0) && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        reaper.stop()
        continuation.finish()
        cgroups?.removeAgentSubtreeIfEmpty()
    }

    private func processEnded(_ ended: ChildReaper.Exit) {
        guard let container = running.withLock({ $0[ended.token] }) else { return }
        let containerID = ended.token
        var launchError: String?
        if ended.exit == .exited(LauncherArguments.failureExitStatus) {
            launchError = CgroupFiles.read(container.sandbox + "/" + LauncherArguments.errorFileName)
        }
        let memoryLimitHit = !ended.exit.isSuccess && (cgroups?.memoryLimitHit(containerID: containerID) ?? false)
        // Whatever the task left behind in its group or cgroups dies with it, as in Mesos.
        _ = kill(-ended.pid, SIGKILL)
        if let cgroups {
            for pid in cgroups.processes(containerID: containerID) { _ = kill(pid, SIGKILL) }
            removeCgroups(containerID)
        }
        running.withLock { _ = $0.removeValue(forKey: containerID) }
        continuation.yield(ContainerExit(containerID: containerID, pid: ended.pid, exit: ended.exit,
                                         memoryLimitHit: memoryLimitHit, launchError: launchError))
    }

    /// Removes a container's cgroups now, or keeps trying for a while in the background if killed
    /// processes have not left them yet.
    private func removeCgroups(_ containerID: String) {
        guard let cgroups, !cgroups.destroy(containerID: containerID) else { return }
        let logger = self.logger
        pendingRemovals.withLock { $0 += 1 }
        Task.detached { [weak self] in
            defer { self?.pendingRemovals.withLock { $0 -= 1 } }
            for _ in 0..<200 {
                try? await Task.sleep(for: .milliseconds(50))
                for pid in cgroups.processes(containerID: containerID) { _ = kill(pid, SIGKILL) }
                if cgroups.destroy(containerID: containerID) { return }
            }
            logger.warning("could not remove the cgroups of container \(containerID): processes remain in them")
        }
    }

    /// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks since boot.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = CgroupFiles.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}
