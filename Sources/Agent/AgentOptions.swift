import FairwayCore
import FairwayProto

/// How the agent starts a task's process.
public enum LaunchMethod: Sendable, Equatable {
    /// The default: the launcher service (`fairway launcher-service`), one single-threaded
    /// process of the fairway binary that the agent starts once and that starts each task as its
    /// own child (vfork-style `clone`, or `fork`) and sets it up before `exec` (see
    /// `LauncherService`): about 0.08 ms of CPU in the service and 0.5 ms in the child per task
    /// (`true`, release build), against ~8 ms wall for `fairway launch`. As the tasks' parent, the
    /// service learns their exit statuses even across an agent restart.
    case service
    /// `fairway launch …`, the launcher mode of `launcherExecutable` (the fairway binary). Costs a
    /// Swift process start-up per task: about 10 ms of CPU in a release build (14 ms debug), mostly
    /// `exec` and page faults of a large binary, dynamic symbol binding and protocol-conformance
    /// scans. That caps a 2-core machine at about 140 tasks/s end to end.
    case launcherMode
    /// The same set-up (join the cgroups, enter the sandbox, `exec`) done by a few lines of
    /// `/bin/sh`, about 0.6 ms per task (561 tasks/s end to end on 2 cores, release). argv[0] of an
    /// argv-form task becomes the program path.
    case shell
}

/// How to run an agent: what `fairway agent` parses its flags into, and what `fairway dev` builds
/// for each of its in-process agents. Two agents in one process need different `workDirectory`s
/// and ports; everything else they keep apart by themselves.
public struct AgentOptions: Sendable {
    /// The master, `HOST:PORT` (or a URL `http://HOST:PORT`).
    public var master: String
    /// Address to serve HTTP on.
    public var ip: String
    /// Port to serve HTTP on; 0 picks a free one (read it back from `AgentService.port`).
    public var port: Int
    /// Hostname advertised to the master; nil means `ip` unless it is 0.0.0.0, else gethostname().
    public var hostname: String?
    /// Holds the checkpoint (`agent.sqlite`) and the task sandboxes (`sandboxes/`).
    public var workDirectory: String
    /// Resources to offer; nil, or any of cpus/mem/disk/ports left out, is detected from the machine.
    public var resources: Resources?
    public var attributes: [Fairway_V1_Attribute]
    /// Enforce cpus and mem with cgroups where the machine allows it.
    public var cgroupsEnabled: Bool
    /// The fairway executable that provides the launcher service and the launcher mode; nil means
    /// this process's own (`/proc/self/exe`).
    public var launcherExecutable: String?
    /// Arguments that select the per-task launcher mode in `launcherExecutable` (`.launcherMode`).
    public var launcherPrefix: [String]
    /// The launcher service (the default), `fairway launch` per task, or the `/bin/sh` launcher.
    public var launchMethod: LaunchMethod
    /// How long a launcher service with no agent and no task waits for an agent before exiting.
    public var launcherServiceIdleGrace: Double
    /// How long a launcher service keeps exit statuses for an agent that does not come back.
    public var launcherServiceRecoveryTimeout: Double
    /// Grace period between SIGTERM and SIGKILL when a kill names no kill policy.
    public var defaultGracePeriod: Double
    /// First resend of an unacknowledged update, doubling up to `maximumRetryInterval`.
    public var initialRetryInterval: Double
    public var maximumRetryInterval: Double
    /// Updates that become ready within this many seconds go to the master in one call.
    public var updateBatchWindow: Double
    /// Reconnection backoff after the master stream breaks: first delay and cap, in seconds.
    public var reconnectInitialDelay: Double
    public var reconnectMaximumDelay: Double
    /// Network namespaces for pods (task groups whose executor asks for the network
    /// `fairway-pods`): `auto` by default.
    public var podNetwork: PodNetworkOptions

    public init(master: String, workDirectory: String, ip: String = "127.0.0.1", port: Int = 5051,
                hostname: String? = nil, resources: Resources? = nil, attributes: [Fairway_V1_Attribute] = [],
                cgroupsEnabled: Bool = true) {
        self.master = master
        self.workDirectory = workDirectory
        self.ip = ip
        self.port = port
        self.hostname = hostname
        self.resources = resources
        self.attributes = attributes
        self.cgroupsEnabled = cgroupsEnabled
        launcherExecutable = nil
        launcherPrefix = ["launch"]
        launchMethod = .service
        launcherServiceIdleGrace = 10
        launcherServiceRecoveryTimeout = 900
        defaultGracePeriod = 3
        initialRetryInterval = 10
        maximumRetryInterval = 60
        updateBatchWindow = 0.002
        reconnectInitialDelay = 0.1
        reconnectMaximumDelay = 2
        podNetwork = PodNetworkOptions()
    }
}
