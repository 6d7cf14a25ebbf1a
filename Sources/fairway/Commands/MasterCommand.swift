import ArgumentParser
import Foundation
import Logging
import Master

struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "master",
        abstract: "Run a Fairway master: the DRF allocator and the Mesos-compatible scheduler and operator APIs.",
        discussion: """
        Frameworks subscribe at POST /api/v1/scheduler (JSON or protobuf, as Mesos v1); operators use \
        POST /api/v1 and GET /master/state. What must survive a restart (agents, frameworks, ID \
        counters) is kept in SQLite at WORK_DIR/registry.sqlite: after a crash, start the master again \
        with the same --work-dir and agents and frameworks reconnect with their tasks.
        """
    )

    @Option(help: "Address to listen on.")
    var ip = "0.0.0.0"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 5050

    @Option(help: "Directory for the registry (created if missing).")
    var workDir = ".fairway/master"

    @Option(help: "Hostname to advertise to frameworks (default: the --ip, or this machine's name for 0.0.0.0).")
    var hostname: String?

    @Option(help: "Seconds a disconnected agent may stay away before its tasks are declared lost.")
    var agentRemovalTimeout: Double = 75

    @Option(help: "Seconds agents have to re-register after a master restart before they are forgotten.")
    var agentReregisterTimeout: Double = 600

    @Option(help: "Milliseconds of events batched into one allocation pass.")
    var allocationBatchWindowMs: Double = 5

    @Option(help: "Seconds between heartbeats on subscription streams (Mesos: 15).")
    var heartbeatInterval: Double = 15

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard agentRemovalTimeout > 0, agentReregisterTimeout > 0, heartbeatInterval > 0 else {
            throw ValidationError("timeouts and intervals must be positive")
        }
        guard allocationBatchWindowMs >= 0 else { throw ValidationError("--allocation-batch-window-ms must not be negative") }
    }

    func run() async throws {
        ProcessSignals.install()
        logging.bootstrap()
        var options = MasterOptions(workDir: workDir)
        options.ip = ip
        options.port = port
        options.hostname = hostname
        options.agentRemovalTimeout = agentRemovalTimeout
        options.agentReregisterTimeout = agentReregisterTimeout
        options.allocationBatchWindow = allocationBatchWindowMs / 1000
        options.heartbeatInterval = heartbeatInterval
        let master = try MasterService(options: options)
        let boundPort = try await master.start()
        Console.line("fairway master listening on http://\(ip):\(boundPort)")
        _ = await ProcessSignals.waitForTermination()
        await master.stop()
    }
}
