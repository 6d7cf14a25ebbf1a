// The Agent module: runs the master's tasks as processes on one machine.
//
// ```
//  master ──RecordIO events──▶ MasterLink (HTTPMasterLink) ──▶ AgentService.handle(event)
//                                                                │
//         ┌──────────────────────────────────────────────────────┤
//         │ AgentState (tasks, frameworks, id)      pure         │
//         │ StatusUpdateQueue (per-task FIFOs,      pure         │  Checkpoint (GRDB, agent.sqlite):
//         │   acks, retry schedule)                              │  changes batched, committed before
//         │ TaskOutcome (exit → FINISHED/FAILED/KILLED) pure     │  processes start and before updates
//         └──────────────────────────────────────────────────────┘  leave
//                                                                │
//  ContainerRuntime ─┬─ LauncherServiceClient ══ launcher.sock ══▶ `fairway launcher-service` (LauncherService):
//    │               │   (default; one reader thread)              one thread, fork per task, child joins
//    │               │                                             cgroups, setsid, chdir, exec; reaps and
//    │               │                                             reports exits, also across agent restarts
//    │               └─ Launcher (posix_spawn per task) ──▶ `fairway launch` (LauncherMode) or /bin/sh
//    ├── CgroupIsolator: CgroupsV1 | CgroupsV2 (CgroupsDetection picks; nil = no limits)
//    └── ChildReaper: one thread, pidfds + poll, waitpid(pid) for its own pids only
//  Sandbox (directories), SandboxFiles (/files), AgentStateJSON (/state), AgentHTTPHandler
//  Pods: PodNetworkIsolator (namespace + IP per task group asking for `fairway-pods`, PodNetwork
//  module), RestartPolicy/ContainerRestarts (restarts with back-off), ProbeRunner + LivenessTracker/
//  ReadinessTracker (health checks and checks); per-task state in PodBook
// ```
//
// - **Entry point**: `AgentOptions` + `AgentService` (`start()` → port, `run()`, `shutdown(killTasks:)`).
//   Two agents in one process are independent: own work dir, port, reaper thread, launcher service
//   (`<work dir>/launcher.sock`) and cgroup subtree (`<own cgroup>/fairway/agent-<hash of work dir>/<container>`).
// - **Status updates**: at least once. Only a task's oldest update is outstanding; it is resent after
//   10 s (doubling to 60 s), after every registration and on RESEND_UPDATES. Updates that become ready
//   within `updateBatchWindow` (2 ms) go in one STATUS_UPDATES call.
// - **Restart**: stopping the agent leaves tasks and the launcher service running; the next agent on the
//   same work dir connects to the service, which reports the tasks still running and the exit statuses
//   of those that ended meanwhile (kept until acknowledged, which the agent does once its checkpoint
//   has them). Without a service (other launch methods, or the service died) tasks are adopted through
//   pidfds (start time checked against pid reuse) and a task that ended unseen is reported TASK_FAILED
//   with REASON_AGENT_RESTARTED, its exit status being unknown.
// - **Pods**: a task group whose executor asks for the network `fairway-pods` gets a network
//   namespace (`ip netns exec` prefixes its containers' argv; same pid) and a pod IP from the agent's
//   claimed /24 before its first container starts; every update of its tasks carries the IP, and
//   the namespace goes when the whole group has ended. Without pod networking the group runs on the
//   host network and says so (`fairway.pod/network: host (why)`). Tasks labelled
//   `fairway.pod/restart-policy` are restarted by the agent; health checks and checks are run here.
// - **Launch cost**: the service starts each task with a vfork-style clone of a small single-threaded
//   process (~0.6 ms of CPU per task, child included; 0.65 ms per sequential launch of `true`);
//   `fairway launch` is a full Swift process start (~10 ms CPU, release build); `LaunchMethod.shell`
//   (`fairway agent --launcher shell`) does the same set-up in `/bin/sh` (~0.6 ms).

import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import Logging

/// A Fairway agent: registers with the master, runs the tasks it is sent as real processes in
/// sandboxes (cgroup-limited where the machine allows), delivers their status updates at least once
/// and serves `/state` and the sandbox files over HTTP. Everything it must not forget is
/// checkpointed in its work dir, so a restarted agent (same work dir) recovers its id, its running
/// tasks and its unacknowledged updates.
///
/// Usage: `let agent = try AgentService(options: …)`, then `try await agent.run()` until the task
/// is cancelled; or `start()` (returns the HTTP port) and later `shutdown()`. Stopping an agent
/// leaves its tasks running so the next agent on the same work dir can adopt them.
public actor AgentService {
    public nonisolated let options: AgentOptions
    nonisolated let logger: Logger
    let link: any MasterLink
    let checkpoint: Checkpoint
    let sandboxes: Sandbox
    let files: SandboxFiles
    /// The resources this agent offers.
    public nonisolated let resources: Resources
    /// The hostname it advertises.
    public nonisolated let hostname: String
    /// Names this agent's cgroup subtree: unique per work dir.
    nonisolated let agentKey: String
    /// The `PATH` tasks get unless they set their own: the agent's, or a sane default.
    nonisolated let taskPath: String

    /// Tasks and identity; read it for tests and tools.
    public internal(set) var state = AgentState()
    /// Unacknowledged status updates.
    public internal(set) var queue: StatusUpdateQueue
    /// The HTTP port, once started.
    public private(set) var port: Int = 0
    /// Registrations completed (REGISTERED events received) since start.
    public internal(set) var registrationCount = 0

    var runtime: ContainerRuntime?
    /// How tasks are isolated (`cgroup v1 (…)`), or nil when they run without cgroups.
    public private(set) var isolation: String?
    var server: HTTPServer?
    var pendingChanges: [Checkpoint.Change] = []
    var streamID: String?
    var heartbeatInterval: Double?
    var lastEventTime: Double = 0
    var currentConnection: Task<MasterLinkEnd, any Error>?
    var flushScheduled = false
    var sending = false
    var sendFailures = 0
    var killTimers: [TaskKey: Task<Void, Never>] = [:]
    /// Exits reported by the launcher service, acknowledged to it once the checkpoint has them.
    var serviceAcks: [String] = []
    var background: [Task<Void, Never>] = []
    var started = false
    var stopped = false
    var checkpointClosed = false
    /// Pod network namespaces (`--pod-network`).
    nonisolated let podIsolator: PodNetworkIsolator
    /// Pods' networks, and per task its restarts and probes.
    var pods = PodBook()

    public init(options: AgentOptions, logger: Logger = Logger(label: "fairway.agent"),
                masterLink: (any MasterLink)? = nil) throws(AgentError) {
        var options = options
        options.workDirectory = Self.absolute(options.workDirectory)
        self.options = options
        self.logger = logger
        link = masterLink ?? HTTPMasterLink(master: options.master)
        let sandboxRoot = options.workDirectory + "/sandboxes"
        try Sandbox.makeDirectories(sandboxRoot)
        checkpoint = try Checkpoint(path: options.workDirectory + "/agent.sqlite")
        sandboxes = Sandbox(root: sandboxRoot)
        files = SandboxFiles(root: sandboxRoot)
        resources = MachineResources.complete(options.resources, workDirectory: options.workDirectory)
        hostname = MachineResources.hostname(flag: options.hostname, ip: options.ip)
        let workDirectoryHash = StableHash.fnv1a(SandboxFiles.realPath(options.workDirectory) ?? options.workDirectory)
        agentKey = "agent-" + workDirectoryHash
        podIsolator = PodNetworkIsolator(options: options.podNetwork, agentTag: String(workDirectoryHash.prefix(8)), logger: logger)
        taskPath = ProcessInfo.processInfo.environment["PATH"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        queue = StatusUpdateQueue(initialRetryInterval: options.initialRetryInterval,
                                  maximumRetryInterval: options.maximumRetryInterval)
    }

    /// Recovers the checkpoint, adopts surviving tasks, starts the HTTP server and the master
    /// connection, and returns the HTTP port. Calling it again returns the port.
    @discardableResult
    public func start() async throws -> Int {
        if started { return port }
        if options.podNetwork.mode == .on, let reason = await podIsolator.unavailableReason() {
            throw AgentError("\(reason). Run the agent as root on a machine with iproute2 and network namespaces, or use --pod-network auto (host network when unavailable) or off")
        }
        if started { return port }
        started = true
        let cgroups: (any CgroupIsolator)?
        if options.cgroupsEnabled {
            cgroups = CgroupsDetection.detect(agentKey: agentKey, logger: logger)
            if let cgroups { logger.info("enforcing task cpus and mem with \(cgroups.summary)") }
        } else {
            cgroups = nil
            logger.info("cgroups disabled (--no-cgroups): tasks run without cpu and memory limits")
        }
        isolation = cgroups?.summary
        let executable = options.launcherExecutable ?? Launcher.currentExecutable()
        let launcher = Launcher(executable: executable, prefix: options.launcherPrefix, method: options.launchMethod)
        var service: LauncherServiceClient?
        if options.launchMethod == .service {
            service = LauncherServiceClient(executable: executable, workDirectory: options.workDirectory,
                                            idleGrace: options.launcherServiceIdleGrace,
                                            recoveryTimeout: options.launcherServiceRecoveryTimeout, logger: logger)
        }
        let runtime: ContainerRuntime
        do {
            runtime = try ContainerRuntime(launcher: launcher, service: service, cgroups: cgroups, logger: logger)
        } catch {
            started = false
            throw AgentError("\(error.message) (`--launcher fairway` or `--launcher shell` start tasks without the launcher service)")
        }
        self.runtime = runtime
        background.append(Task { [runtime] in
            for await event in runtime.events {
                switch event {
                case .started(let containerID, let pid, let startTime): self.processStarted(containerID, pid: pid, startTime: startTime)
                case .exited(let exit): self.processExited(exit)
                }
            }
        })
        let keepPodNamespaces = try recover(runtime)
        await recoverPodNamespaces(keep: keepPodNamespaces)

        let server = try await HTTPServer.start(host: options.ip, port: options.port,
                                                handler: AgentHTTPHandler(agent: self, files: files), logger: logger)
        self.server = server
        port = server.port
        logger.info("agent serving HTTP on \(options.ip):\(port), work dir \(options.workDirectory), resources \(resources)")
        background.append(Task { await self.connectionLoop() })
        background.append(Task { await self.tickLoop() })
        return port
    }

    /// Runs until the calling task is cancelled, then stops (leaving tasks running).
    public func run() async throws {
        try await start()
        do {
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {}
        await shutdown()
    }

    /// Stops serving and talking to the master and saves the checkpoint. With `killTasks` it first
    /// kills every task and waits for them (tests do this to leave nothing behind); without, tasks
    /// keep running for the next agent on this work dir.
    public func shutdown(killTasks: Bool = false) async {
        guard started, !stopped else { return }
        stopped = true
        currentConnection?.cancel()
        for task in background { task.cancel() }
        for timer in killTimers.values { timer.cancel() }
        killTimers = [:]
        pods.cancelAll()
        await server?.shutdown()
        if let runtime {
            if killTasks {
                for task in state.tasks.values where !task.state.isTerminal {
                    state.update(task.key) { $0.killRequested = true }
                }
            }
            await runtime.shutdown(killAll: killTasks)
        }
        if killTasks { await removePodNetworks() }
        await finishPodDetaches()
        commit()
        checkpoint.close()
        checkpointClosed = true
        let detail = killTasks ? " and killed its tasks" : "; its tasks keep running for the next agent on \(options.workDirectory)"
        logger.info("agent stopped\(detail)")
    }

    /// The agent's id, once it has one.
    public var agentID: String? { state.agentID }

    /// Whether the agent currently has a registered stream to the master.
    public var isRegistered: Bool { streamID != nil }

    /// The `/state` document.
    public func stateDocument() -> [UInt8] {
        AgentStateJSON(agentID: state.agentID, hostname: hostname, port: port, resources: resources,
                       attributes: options.attributes, state: state).render().encoded()
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}
