import ArgumentParser
import Foundation
import FairwayCore
import Logging
import Master

struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "master",
        abstract: "Run a Fairway master: the DRF allocator and the Mesos-compatible scheduler and operator APIs.",
        discussion: """
        Frameworks subscribe at POST /api/v1/scheduler (JSON or protobuf, as Mesos v1); operators use \
        POST /api/v1 and GET /master/state. What must survive a restart (agents, frameworks, ID \
        counters, role weights and quotas, the fairness history) is kept in SQLite at \
        WORK_DIR/registry.sqlite: after a crash, start the master again with the same --work-dir and \
        agents and frameworks reconnect with their tasks.

        Weights: --weights applies at every start; a weight later set with the UPDATE_WEIGHTS \
        operator call is persisted and overrides the flag's value for that role from then on. \
        Quotas are set with UPDATE_QUOTA and persisted. GET /fairness serves the fairness view \
        (JSON; ?since=30m adds the history) and GET /metrics the Prometheus metrics.
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

    @Option(help: ArgumentHelp(
        "Initial role weights, ROLE=WEIGHT separated by commas (e.g. eng=2,ops=0.5).",
        discussion: "Applied at every start; weights set later with UPDATE_WEIGHTS are persisted and win over these."))
    var weights: String?

    @Option(help: ArgumentHelp(
        "Resource names left out of dominant shares, separated by commas (e.g. gpus,fpgas).",
        discussion: "A scarce resource would otherwise dominate the share of whoever holds a single unit of it."))
    var fairSharingExcludedResourceNames: String?

    @Option(help: ArgumentHelp(
        "Seconds after which an unanswered offer is rescinded (default: never, as in Mesos).",
        discussion: "Stops frameworks from hoarding offers; the resources go back to the allocator."))
    var offerTimeout: Double?

    @Option(help: "How often the fairness history is sampled: seconds, or a duration like 5s, 1m.")
    var fairnessSampleInterval = "5s"

    @Option(help: "How long the fairness history is kept: seconds, or a duration like 30m, 24h, 7d.")
    var fairnessRetention = "24h"

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard agentRemovalTimeout > 0, agentReregisterTimeout > 0, heartbeatInterval > 0 else {
            throw ValidationError("timeouts and intervals must be positive")
        }
        guard allocationBatchWindowMs >= 0 else { throw ValidationError("--allocation-batch-window-ms must not be negative") }
        _ = try parsedWeights()
        if let offerTimeout, !(offerTimeout.isFinite && offerTimeout > 0) {
            throw ValidationError("--offer-timeout must be a positive number of seconds")
        }
        guard let interval = DurationText.seconds(fairnessSampleInterval), interval > 0 else {
            throw ValidationError("--fairness-sample-interval must be a positive duration like 5s or 1m")
        }
        guard let retention = DurationText.seconds(fairnessRetention), retention > 0 else {
            throw ValidationError("--fairness-retention must be a positive duration like 24h or 7d")
        }
    }

    /// `eng=2,ops=0.5` as a dictionary; every role valid and every weight a positive number.
    func parsedWeights() throws -> [String: Double] {
        guard let weights, !weights.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
        var result: [String: Double] = [:]
        for item in weights.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]), weight.isFinite, weight > 0 else {
                throw ValidationError("--weights: '\(item)' is not ROLE=WEIGHT with a positive weight (e.g. eng=2,ops=0.5)")
            }
            if let problem = MasterOptions.problem(withRole: parts[0]) { throw ValidationError("--weights: \(problem)") }
            result[parts[0]] = weight
        }
        return result
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
        options.roleWeights = try parsedWeights()
        options.fairSharingExcludedResourceNames = Set((fairSharingExcludedResourceNames ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        options.offerTimeout = offerTimeout
        options.fairnessSampleInterval = DurationText.seconds(fairnessSampleInterval) ?? 5
        options.fairnessRetention = DurationText.seconds(fairnessRetention) ?? 24 * 3600
        let master = try MasterService(options: options)
        let boundPort = try await master.start()
        Console.line("fairway master listening on http://\(ip):\(boundPort)")
        _ = await ProcessSignals.waitForTermination()
        await master.stop()
    }
}
