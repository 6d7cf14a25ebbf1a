import ArgumentParser
import BatchFramework
import Foundation
import FrameworkKit

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run the batch framework: Hadoop-style array and map/reduce jobs on resource offers.",
        discussion: """
        Subscribes to the master as the framework 'fairway-batch' (checkpointing, with a failover \
        timeout) and serves the job API on --port: POST /api/v1/batch (fairway.v1.batch.Call, protobuf \
        or JSON) and GET /jobs, GET /jobs/ID. Jobs and the attempt journal are kept in SQLite at \
        WORK_DIR/batch.db: start it again with the same --work-dir, even after kill -9, and it \
        re-attaches to its running tasks and finishes its jobs. Submit jobs with 'fairway job submit'.
        """)

    @Option(help: ArgumentHelp("The master, as HOST:PORT.", valueName: "host:port"))
    var master = "127.0.0.1:5050"

    @Option(help: "Address the job API listens on.")
    var ip = "127.0.0.1"

    @Option(help: "Port of the job API (0 picks a free one and prints it).")
    var port = 5052

    @Option(help: "Directory for the framework's state (created if missing).")
    var workDir = ".fairway/batch"

    @Option(help: "Role the framework takes offers in.")
    var role = "batch"

    @Option(help: "Framework name shown by the master.")
    var name = "fairway-batch"

    @Option(help: "Seconds the master keeps the framework's tasks while it is down (Mesos failover_timeout).")
    var failoverTimeout: Double = 7 * 24 * 3600

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard failoverTimeout > 0 else { throw ValidationError("--failover-timeout must be positive") }
        guard !role.isEmpty else { throw ValidationError("--role must not be empty") }
    }

    func run() async throws {
        ProcessSignals.install()
        logging.bootstrap()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var options = BatchOptions(master: MasterAddress.normalize(master) ?? master,
                                   workDir: URL(fileURLWithPath: workDir).standardizedFileURL.path, executable: executable)
        options.host = ip
        options.port = port
        options.role = role
        options.name = name
        options.failoverTimeout = failoverTimeout
        let service = try BatchService(options: options)
        // Runs until a signal, or until the service ends (it cannot listen, the master refused it).
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            group.addTask { _ = await ProcessSignals.waitForTermination() }
            try await group.next()
            group.cancelAll()
        }
    }
}
