import Agent
import ArgumentParser
import FairwayCore
import Foundation
import Logging

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a Fairway agent: run the master's tasks as processes in sandboxes on this machine.",
        discussion: """
        The agent registers with the master, runs each task as a real process in its own sandbox \
        (WORK_DIR/sandboxes/FRAMEWORK/TASK, with `stdout` and `stderr` files), enforces the task's cpus \
        and mem with cgroups where this machine allows it (v1 or v2; as root), and delivers every status \
        update until the framework acknowledges it. It serves GET /state (Mesos v0 JSON), GET /health \
        and read-only sandbox files at /files/read, /files/browse and /files/download.

        Its id, tasks and unacknowledged updates are checkpointed in WORK_DIR/agent.sqlite. On SIGINT or \
        SIGTERM the agent stops but leaves its tasks (and its launcher service) running: start it again \
        with the same --work-dir and it takes them over and re-registers with the same id; the launcher \
        service reports the exit status of tasks that ended meanwhile. (Without the service, or if it \
        died, such a task is reported TASK_FAILED, since its exit status cannot be known.) To stop the \
        tasks too, kill them through the framework first.

        The first line on stdout is `fairway agent listening on http://IP:PORT`.
        """
    )

    @Option(help: "The master to register with, HOST:PORT.")
    var master: String

    @Option(help: "Address to listen on.")
    var ip = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one; the first line printed says which).")
    var port = 5051

    @Option(help: "Hostname to advertise to the master (default: --ip unless it is 0.0.0.0, else this machine's name).")
    var hostname: String?

    @Option(help: "Directory for the checkpoint and the task sandboxes (created if missing).")
    var workDir: String

    @Option(help: """
        Resources to offer, Mesos syntax: 'cpus:4;mem:8192;disk:20000;ports:[31000-32000]'. Any of cpus, \
        mem (MB), disk (MB) and ports left out is detected: all cores; physical memory less 1 GB (half of it \
        below 2 GB); free space of --work-dir less 5 GB; ports [31000-32000].
        """)
    var resources: String?

    @Option(help: "Attributes, e.g. 'rack:a;zone:1' (numbers are scalars, [a-b] ranges, {x,y} sets, else text).")
    var attributes: String?

    @Flag(help: "Do not use cgroups: tasks run without cpu and memory limits (default: use them where available).")
    var noCgroups = false

    @Option(help: "Seconds between SIGTERM and SIGKILL when a kill names no grace period.")
    var killGracePeriod: Double = 3

    @Option(help: """
        How task processes are started. 'service' (the default): a single-threaded launcher process of \
        this binary (`fairway launcher-service`, started once, socket WORK_DIR/launcher.sock, log \
        WORK_DIR/launcher-service.log) starts each task as its own child and sets it up before exec (under \
        1 ms per task); it keeps tasks' exit statuses across an agent restart. 'fairway': \
        this binary's per-task launcher mode (`fairway launch`, about 10 ms of CPU per task). 'shell': the \
        same set-up in a few lines of /bin/sh (under 1 ms per task). With 'fairway' and 'shell', a task that \
        ends while the agent is down is reported TASK_FAILED (its exit status is unknown).
        """)
    var launcher = "service"

    @Option(help: """
        Pod network namespaces for task groups that ask for the 'fairway-pods' network: 'auto' (when \
        root and iproute2 allow it, else the host network with the reason logged), 'on' (required: refuse \
        to start without), 'off' (always the host network).
        """)
    var podNetwork = "auto"

    @Option(help: "Bridge the pods of this machine attach to (shared by its agents).")
    var podBridge = "fairway0"

    @Option(help: "Pod CIDR: the bridge holds its first address, each agent claims a /24 of it.")
    var podCidr = "10.88.0.0/16"

    @Option(help: ArgumentHelp("Directory of this machine's per-agent subnet claims (default /run/fairway/pod-network/claims).",
                               valueName: "dir"))
    var podNetworkClaims: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard killGracePeriod >= 0 else { throw ValidationError("--kill-grace-period must not be negative") }
        guard !master.isEmpty else { throw ValidationError("--master needs HOST:PORT") }
        guard ["service", "fairway", "shell"].contains(launcher) else {
            throw ValidationError("--launcher must be 'service', 'fairway' or 'shell'")
        }
        if let resources { _ = try parseResources(resources) }
        _ = try podNetworkOptions()
        if let attributes {
            do {
                _ = try Attributes.parse(attributes)
            } catch {
                throw ValidationError("--attributes '\(attributes)': \(error)")
            }
        }
    }

    func run() async throws {
        ProcessSignals.install()
        logging.bootstrap()
        var options = AgentOptions(master: master, workDirectory: workDir, ip: ip, port: port, hostname: hostname,
                                   resources: try resources.map(parseResources), cgroupsEnabled: !noCgroups)
        if let attributes {
            do {
                options.attributes = try Attributes.parse(attributes)
            } catch {
                throw ValidationError("--attributes '\(attributes)': \(error)")
            }
        }
        options.podNetwork = try podNetworkOptions()
        options.defaultGracePeriod = killGracePeriod
        options.launchMethod = switch launcher {
        case "shell": .shell
        case "fairway": .launcherMode
        default: .service
        }
        let agent = try AgentService(options: options, logger: Logger(label: "fairway.agent"))
        let boundPort = try await agent.start()
        print("fairway agent listening on http://\(ip):\(boundPort)")
        fflush(nil)
        _ = await ProcessSignals.waitForTermination()
        await agent.shutdown()
    }

    private func parseResources(_ text: String) throws -> Resources {
        do {
            return try Resources(parsing: text)
        } catch {
            throw ValidationError("--resources '\(text)': \(error)")
        }
    }

    private func podNetworkOptions() throws -> PodNetworkOptions {
        do {
            return try PodNetworkOptions(mode: podNetwork, bridge: podBridge, podCIDR: podCidr, claimsDirectory: podNetworkClaims)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
