import ArgumentParser
import FairwayCore
import Foundation
import KubeAPI

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a local cluster: a master, two agents, the batch and the pods frameworks, state under ./.fairway/ (SQLite).",
        discussion: """
        Starts `fairway master`, two `fairway agent`s (each with an equal share of this machine's cpus \
        and memory), `fairway batch` and `fairway pods` as child processes on \
        127.0.0.1, prints their URLs, restarts any that dies, and stops them all on Ctrl-C. Ports: master \
        PORT, first agent PORT+1, batch job API PORT+2, further agents PORT+3 and up, the Kubernetes API \
        --kube-port. It writes STATE_DIR/kubeconfig for kubectl (`export KUBECONFIG=...`). Start it again \
        with the same --state-dir and the cluster recovers its agents, frameworks, tasks, jobs and pods.
        """
    )

    @Option(help: "Directory for all cluster state (master registry, agent sandboxes and checkpoints).")
    var stateDir = ".fairway"

    @Option(help: "Master port; the first agent takes the next, the batch framework the one after, further agents those after it.")
    var port = 5050

    @Option(help: "Port of the pods framework's Kubernetes API.")
    var kubePort = 6443

    @Option(help: "Number of agents.")
    var agents = 2

    @Option(help: "Log level passed to the master and agents.")
    var logLevel = "info"

    func validate() throws {
        guard (1...16).contains(agents) else { throw ValidationError("--agents must be between 1 and 16") }
        guard (1...65000).contains(port) else { throw ValidationError("--port must be between 1 and 65000") }
        guard (1...65535).contains(kubePort) else { throw ValidationError("--kube-port must be between 1 and 65535") }
    }

    func run() async throws {
        ProcessSignals.install()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let stateURL = URL(fileURLWithPath: stateDir, isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: stateURL, withIntermediateDirectories: true)
        let share = MachineShare.perAgent(count: agents)
        let master = "127.0.0.1:\(port)"

        var members = [ClusterMember(name: "master", executable: executable, logURL: stateURL.appendingPathComponent("master.log"),
                                     arguments: ["master", "--ip", "127.0.0.1", "--port", String(port),
                                                 "--work-dir", stateURL.appendingPathComponent("master").path, "--log-level", logLevel,
                                                 // Offers nobody answers within a minute go back to the pool.
                                                 "--offer-timeout", "60"])]
        for index in 1...agents {
            members.append(ClusterMember(
                name: "agent\(index)", executable: executable, logURL: stateURL.appendingPathComponent("agent\(index).log"),
                // Its own name (shown as the pods' NODE, usable in nodeSelectors); it is reached by its IP.
                arguments: ["agent", "--master", master, "--ip", "127.0.0.1", "--port", String(agentPort(index)),
                            "--hostname", "agent\(index)", "--work-dir", stateURL.appendingPathComponent("agent\(index)").path,
                            "--resources", share.resources(ports: 31000 + (index - 1) * 1000), "--log-level", logLevel]))
        }
        members.append(ClusterMember(
            name: "batch", executable: executable, logURL: stateURL.appendingPathComponent("batch.log"),
            arguments: ["batch", "--master", master, "--ip", "127.0.0.1", "--port", String(batchPort),
                        "--work-dir", stateURL.appendingPathComponent("batch").path, "--log-level", logLevel]))
        members.append(ClusterMember(
            name: "pods", executable: executable, logURL: stateURL.appendingPathComponent("pods.log"),
            arguments: ["pods", "--master", master, "--ip", "127.0.0.1", "--api-port", String(kubePort),
                        "--work-dir", stateURL.appendingPathComponent("pods").path, "--log-level", logLevel]))
        let kubeconfig = stateURL.appendingPathComponent("kubeconfig")
        try KubeConfig.yaml(server: "http://127.0.0.1:\(kubePort)").write(to: kubeconfig, atomically: true, encoding: .utf8)
        for index in members.indices { try members[index].start() }
        Console.line("""
        Fairway dev cluster
          master:  http://\(master)   (state: http://\(master)/master/state)
        \((1...agents).map { "  agent\($0): http://127.0.0.1:\(agentPort($0))   \(share.resources(ports: 31000 + ($0 - 1) * 1000))" }.joined(separator: "\n"))
          batch:   http://127.0.0.1:\(batchPort)/jobs   (fairway job submit array --count 10 --cpus 0.1 --wait -- 'echo $FAIRWAY_TASK_INDEX')
          pods:    http://127.0.0.1:\(kubePort)   (Kubernetes API)
        export KUBECONFIG=\(kubeconfig.path)   then   kubectl get pods
          logs:    \(stateURL.path)/*.log
        Try: python3 examples/pymesos/hello_framework.py \(master)   then   fairway tasks --all
        Ctrl-C stops the cluster.
        """)

        // Supervise: a member that dies (say the master, killed with -9) is started again with the
        // same state, and the others reconnect to it; one that keeps dying stops the cluster.
        while ProcessSignals.receivedSignal == nil {
            try? await Task.sleep(for: .milliseconds(200))
            // Ctrl-C reaches the members too (same process group): give the signal time to land.
            try? await Task.sleep(for: .milliseconds(300))
            for index in members.indices where !members[index].isRunning && ProcessSignals.receivedSignal == nil {
                let status = members[index].exitStatus
                if members[index].restartsInLastMinute >= 5 {
                    Console.line("fairway dev: \(members[index].name) keeps exiting (status \(status)); see \(members[index].logURL.path)")
                    await stop(&members)
                    throw ExitCode.failure
                }
                Console.line("fairway dev: \(members[index].name) exited with status \(status); starting it again")
                try? await Task.sleep(for: .seconds(1))
                if ProcessSignals.receivedSignal == nil { try members[index].start() }
            }
        }
        await stop(&members)
        Console.line("fairway dev: stopped")
    }

    private var batchPort: Int { port + 2 }

    /// The first agent takes the port after the master's; the rest come after the batch framework's.
    private func agentPort(_ index: Int) -> Int { index == 1 ? port + 1 : port + 1 + index }

    private func stop(_ members: inout [ClusterMember]) async {
        for member in members { member.interrupt() }
        let deadline = Date().addingTimeInterval(10)
        while members.contains(where: \.isRunning), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for member in members where member.isRunning { member.kill() }
    }
}

/// One process of the dev cluster, with its command line and log, restartable.
struct ClusterMember {
    let name: String
    let executable: String
    let logURL: URL
    let arguments: [String]
    private var process: Process?
    private var starts: [Date] = []

    init(name: String, executable: String, logURL: URL, arguments: [String]) {
        self.name = name
        self.executable = executable
        self.logURL = logURL
        self.arguments = arguments
    }

    var isRunning: Bool { process?.isRunning ?? false }
    var exitStatus: Int32 { process.map { $0.isRunning ? 0 : $0.terminationStatus } ?? 0 }
    var restartsInLastMinute: Int { starts.filter { $0 > Date().addingTimeInterval(-60) }.count - 1 }

    mutating func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: logURL.path) { FileManager.default.createFile(atPath: logURL.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        starts.append(Date())
    }

    func interrupt() { if isRunning { process?.interrupt() } }

    func kill() {
        guard let pid = process?.processIdentifier, isRunning else { return }
        Foundation.kill(pid, SIGKILL)
    }
}

/// This machine's cpus and memory split evenly between the dev cluster's agents.
struct MachineShare {
    var cpus: Double
    var memoryMB: Int

    static func perAgent(count: Int) -> MachineShare {
        let cpus = Double(ProcessInfo.processInfo.activeProcessorCount) / Double(count)
        let memoryMB = Int(ProcessInfo.processInfo.physicalMemory / 1_048_576) / count
        return MachineShare(cpus: (cpus * 1000).rounded() / 1000, memoryMB: memoryMB)
    }

    func resources(ports base: Int) -> String {
        "cpus:\(Scalar(cpus));mem:\(memoryMB);disk:10000;ports:[\(base)-\(base + 999)]"
    }
}
