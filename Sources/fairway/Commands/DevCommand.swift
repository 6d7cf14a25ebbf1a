import ArgumentParser
import Foundation

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a local cluster: one master and two agents, state under ./.fairway/ (SQLite).",
        discussion: """
        Starts `fairway master` and two `fairway agent`s as child processes on 127.0.0.1, each agent \
        with half of this machine's cpus and memory, prints their URLs, and stops them all on Ctrl-C. \
        Start it again with the same --state-dir and the cluster recovers its agents, frameworks and tasks.
        """
    )

    @Option(help: "Directory for all cluster state (master registry, agent sandboxes and checkpoints).")
    var stateDir = ".fairway"

    @Option(help: "Master port; the agents take the next two ports.")
    var port = 5050

    @Option(help: "Number of agents.")
    var agents = 2

    @Option(help: "Log level passed to the master and agents.")
    var logLevel = "info"

    func validate() throws {
        guard (1...16).contains(agents) else { throw ValidationError("--agents must be between 1 and 16") }
        guard (1...65000).contains(port) else { throw ValidationError("--port must be between 1 and 65000") }
    }

    func run() async throws {
        ProcessSignals.install()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let stateURL = URL(fileURLWithPath: stateDir, isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: stateURL, withIntermediateDirectories: true)
        let share = MachineShare.perAgent(count: agents)
        var children: [Process] = []
        let master = "127.0.0.1:\(port)"

        children.append(try spawn(executable, ["master", "--ip", "127.0.0.1", "--port", String(port),
                                               "--work-dir", stateURL.appendingPathComponent("master").path,
                                               "--log-level", logLevel], name: "master", stateURL: stateURL))
        for index in 1...agents {
            let agentPort = port + index
            children.append(try spawn(executable, ["agent", "--master", master, "--ip", "127.0.0.1", "--port", String(agentPort),
                                                   "--work-dir", stateURL.appendingPathComponent("agent\(index)").path,
                                                   "--resources", share.resources(ports: 31000 + (index - 1) * 1000),
                                                   "--log-level", logLevel], name: "agent\(index)", stateURL: stateURL))
        }
        Console.line("""
        Fairway dev cluster
          master:  http://\(master)   (state: http://\(master)/master/state)
        \((1...agents).map { "  agent\($0): http://127.0.0.1:\(port + $0)   \(share.resources(ports: 31000 + ($0 - 1) * 1000))" }.joined(separator: "\n"))
          logs:    \(stateURL.path)/*.log
        Try: examples/pymesos/hello_framework.py 127.0.0.1:\(port)   then   fairway tasks --all
        Ctrl-C stops the cluster.
        """)

        let exited = ChildWatch(children)
        let reason = await exited.firstExitOrSignal()
        if case .childExited(let name, let status) = reason {
            print("fairway dev: \(name) exited with status \(status); stopping the cluster")
        }
        for child in children where child.isRunning { child.interrupt() }
        let deadline = Date().addingTimeInterval(10)
        while children.contains(where: \.isRunning), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        print("fairway dev: stopped")
    }

    private func spawn(_ executable: String, _ arguments: [String], name: String, stateURL: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let logURL = stateURL.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return process
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
        "cpus:\(cpus);mem:\(memoryMB);disk:10000;ports:[\(base)-\(base + 999)]"
    }
}

/// Resolves when a child exits or this process is asked to stop.
struct ChildWatch {
    enum Reason { case signal(Int32), childExited(String, Int32) }
    let children: [Process]

    init(_ children: [Process]) { self.children = children }

    func firstExitOrSignal() async -> Reason {
        ProcessSignals.install()
        while true {
            if let signal = ProcessSignals.receivedSignal { return .signal(signal) }
            if let child = children.first(where: { !$0.isRunning }) {
                return .childExited(child.arguments?.first ?? "child", child.terminationStatus)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
