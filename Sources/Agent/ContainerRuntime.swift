import Foundation
import Glibc
import Logging
import Synchronization

/// Starts, signals and reaps task processes, and owns their cgroups: the agent's containerizer.
/// It knows containers only by id and pid; what a task *is* stays in `AgentState`. Everything that
/// happens to a container comes out of `events`, in order: `started` with its pid, then `exited`
/// with its cgroups already released (removed, or kept for a later task: `CgroupPool`) and an OOM
/// kill already detected.
///
/// Processes are started either by the launcher service (`LaunchMethod.service`: requests go out
/// through a window, `LaunchBacklog`; pids and exit statuses come back from the service) or by a
/// `posix_spawn` per task (`fairway launch` or `/bin/sh`; exits from `ChildReaper`, which also
/// watches processes adopted after a restart).
final class ContainerRuntime: Sendable {
    struct Container: Sendable {
        /// Nil while the launcher service is starting it.
        var pid: Int32?
        var startTime: UInt64?
        var sandbox: String
        var viaService: Bool
        /// A signal asked for before the pid was known, sent once it is.
        var pendingSignal: Int32?
        var pendingWholeContainer = false
        /// Set when the exit status can no longer be learnt (the launcher service died): why.
        var unknownExitReason: String?
        /// Waiting in the backlog: not sent to the launcher service yet, no cgroups yet.
        var queued = false
    }

    let launcher: Launcher
    let service: LauncherServiceClient?
    let cgroups: (any CgroupIsolator)?
    let logger: Logger
    let events: AsyncStream<ContainerEvent>
    let continuation: AsyncStream<ContainerEvent>.Continuation
    let containers = Mutex<[String: Container]>([:])
    let reaper: ChildReaper
    /// What the launcher service reported when the agent connected, until recovery takes it.
    let serviceSnapshot = Mutex<LauncherServiceSnapshot?>(nil)
    /// Keeps service restarts from racing (a launch and the reader thread may both notice).
    let reconnectLock = Mutex(())
    /// Cgroup removals still being retried in the background.
    private let pendingRemovals = Mutex(0)
    /// Launches waiting for room at the launcher service.
    let backlog = Mutex(LaunchBacklog())
    /// Held while a batch of the backlog is prepared and sent.
    let sendLock = Mutex(())

    /// With a `service`, connects to it (starting it if needed); throws if that fails.
    init(launcher: Launcher, service: LauncherServiceClient?, cgroups: (any CgroupIsolator)?, logger: Logger) throws(AgentError) {
        self.launcher = launcher
        self.service = service
        self.cgroups = cgroups
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: ContainerEvent.self)
        reaper = try ChildReaper()
        reaper.start { [weak self] exit in self?.processEnded(exit, reportedByService: false) }
        if let service {
            let snapshot = try service.connect()
            serviceSnapshot.withLock { $0 = snapshot }
        }
    }

    var runningCount: Int { containers.withLock { $0.count } }

    /// Starts the containers. Through the launcher service they are queued (`LaunchBacklog`) and
    /// report `started`, or an exit with the launch error, later. Otherwise their cgroups are
    /// prepared and the launcher spawned now: failures are returned by container id, the others
    /// report `started` at once.
    func launch(_ specs: [ContainerSpec]) -> [String: AgentError] {
        if service != nil {
            enqueueForService(specs)
            return [:]
        }
        var failures: [String: AgentError] = [:]
        for spec in specs {
            var procs: [String] = []
            do {
                if let cgroups {
                    procs = try cgroups.prepare(containerID: spec.containerID, cpus: spec.cpus, memoryMB: spec.memoryMB)
                }
                let arguments = LauncherArguments(sandbox: spec.sandbox, cgroupProcsFiles: procs, command: spec.command)
                let pid = try launcher.spawn(arguments, environment: spec.environment, stderrFile: spec.stderrFile)
                let startTime = Self.startTime(of: pid)
                containers.withLock { $0[spec.containerID] = Container(pid: pid, startTime: startTime, sandbox: spec.sandbox, viaService: false) }
                continuation.yield(.started(containerID: spec.containerID, pid: pid, startTime: startTime))
                reaper.watch(pid: pid, token: spec.containerID)
            } catch {
                if !procs.isEmpty { _ = cgroups?.destroy(containerID: spec.containerID) }
                failures[spec.containerID] = error
            }
        }
        return failures
    }

    /// Watches a task process that a previous agent started, or one the launcher service started
    /// before it died. If it is gone, or its pid now names another process (start time differs),
    /// its exit is reported at once with an unknown status.
    func adopt(containerID: String, pid: Int32, startTime: UInt64?, sandbox: String, unknownExitReason: String? = nil) {
        containers.withLock {
            $0[containerID] = Container(pid: pid, startTime: startTime, sandbox: sandbox, viaService: false,
                                        unknownExitReason: unknownExitReason)
        }
        let current = Self.startTime(of: pid)
        guard current != nil, startTime == nil || current == startTime else {
            processEnded(ChildReaper.Exit(pid: pid, token: containerID, exit: .unknown), reportedByService: false)
            return
        }
        reaper.watch(pid: pid, token: containerID)
    }

    /// Sends `signal` to the container's process group and, with `wholeContainer`, to every process
    /// left in its cgroups (children that started their own session). A container still being
    /// started gets the signal as soon as its pid is known.
    func signal(containerID: String, _ signal: Int32, wholeContainer: Bool = false) {
        let target = containers.withLock { containers -> Int32?? in
            guard var container = containers[containerID] else { return nil }
            if container.pid == nil {
                container.pendingSignal = container.pendingSignal == SIGKILL ? SIGKILL : signal
                container.pendingWholeContainer = container.pendingWholeContainer || wholeContainer
                containers[containerID] = container
            }
            return .some(container.pid)
        }
        guard case .some(let pid) = target else { return }
        if let pid, pid > 0, kill(-pid, signal) != 0 && errno == ESRCH { _ = kill(pid, signal) }
        if wholeContainer, let cgroups {
            for member in cgroups.processes(containerID: containerID) { _ = kill(member, signal) }
        }
    }

    func isRunning(containerID: String) -> Bool {
        containers.withLock { $0[containerID] != nil }
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
    /// seconds) until they are reaped and cleaned up, then stops the launcher service; without,
    /// processes (and the service) keep running for the next agent to adopt.
    func shutdown(killAll: Bool, timeout: Double = 10) async {
        closeBacklog(killAll: killAll)
        if killAll {
            let ids = containers.withLock { Array($0.keys) }
            for id in ids { signal(containerID: id, SIGKILL, wholeContainer: true) }
            let deadline = Date().addingTimeInterval(timeout)
            while (runningCount > 0 || pendingRemovals.withLock({ $0 }) > 0) && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            await service?.stop()
        } else {
            service?.detach()
        }
        reaper.stop()
        continuation.finish()
        cgroups?.removeAgentSubtreeIfEmpty()
    }

    /// A container's process ended (or never started: `pid` 0 and a `launchError`).
    func processEnded(_ ended: ChildReaper.Exit, reportedByService: Bool, launchError reported: String? = nil) {
        guard let container = containers.withLock({ $0[ended.token] }) else {
            if reportedByService { service?.acknowledge([ended.token]) }
            return
        }
        let containerID = ended.token
        var launchError = reported
        if launchError == nil && ended.exit == .exited(LauncherArguments.failureExitStatus) {
            launchError = CgroupFiles.read(container.sandbox + "/" + LauncherArguments.errorFileName)
        }
        let memoryLimitHit = !ended.exit.isSuccess && (cgroups?.memoryLimitHit(containerID: containerID) ?? false)
        // Whatever the task left behind in its group or cgroups dies with it, as in Mesos. (The
        // service has already killed the group, before reaping, when the pid could not be reused.)
        if !reportedByService && ended.pid > 0 { _ = kill(-ended.pid, SIGKILL) }
        if let cgroups, !cgroups.release(containerID: containerID) {
            for pid in cgroups.processes(containerID: containerID) { _ = kill(pid, SIGKILL) }
            removeCgroups(containerID)
        }
        containers.withLock { _ = $0.removeValue(forKey: containerID) }
        continuation.yield(.exited(ContainerExit(
            containerID: containerID, pid: ended.pid, exit: ended.exit, memoryLimitHit: memoryLimitHit,
            launchError: launchError, unknownExitReason: ended.exit == .unknown ? container.unknownExitReason : nil,
            reportedByService: reportedByService)))
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
