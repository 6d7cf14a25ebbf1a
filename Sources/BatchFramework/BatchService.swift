import BatchCore
import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import FrameworkKit
import Logging

/// `fairway batch`: the batch framework's shell. It owns the pure `BatchPlanner` and carries out
/// what it decides — offers in, launches, declines, kills, declared demand, suppress and revive out
/// through the Swift SDK — keeps jobs and the attempt journal in SQLite, and serves the job API.
///
/// Status updates are acknowledged only once their outcome is in the journal, and launches are
/// journaled before the master hears of them, so `kill -9` at any moment loses nothing: the restart
/// replays the journal, fails over to the same framework and reconciles the attempts still live.
public actor BatchService {
    let options: BatchOptions
    let store: BatchStore
    let logger: Logger
    let factory: TaskFactory
    var planner = BatchPlanner()
    var scheduler: Scheduler?
    var calls: MasterCalls?
    var server: HTTPServer?
    /// The offers held.
    var desk = OfferDesk()
    /// The most each agent offered lately, to say why a job's tasks wait.
    var offerHistory = OfferHistory()
    /// `host:port` of every agent seen in an offer, for reduces fetching map outputs.
    var agentEndpoints: [String: String] = [:]
    /// Demand the planner declared that is not sent yet (sent at most every `demandInterval`).
    var unsentDemand: [DemandShape]?
    var demandTimer: Task<Void, Never>?

    /// Declared task entries per REQUEST at most: more than the cluster could run at once adds
    /// nothing to how offers are sized.
    static let maximumDeclaredTasks = 2_000

    public init(options: BatchOptions, logger: Logger = Logger(label: "fairway.batch")) throws {
        self.options = options
        self.logger = logger
        try FileManager.default.createDirectory(atPath: options.workDir, withIntermediateDirectories: true)
        store = try BatchStore(path: options.workDir + "/batch.db")
        factory = TaskFactory(executable: options.executable)
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Recovers jobs, starts the job API and the subscription, and runs until the master refuses
    /// the framework (an error event) or the task is cancelled.
    public func run() async throws {
        try recover()
        let server = try await HTTPServer.start(host: options.host, port: options.port, handler: JobAPIHandler(desk: self),
                                                logger: logger)
        self.server = server
        try? String(server.port).write(toFile: options.workDir + "/port", atomically: true, encoding: .utf8)
        logger.notice("job API listening on http://\(options.host):\(server.port)")
        FileHandle.standardOutput.write(Data("fairway batch: job API on http://\(options.host):\(server.port), master \(options.master), role \(options.role)\n".utf8))

        let scheduler = Scheduler(configuration: try schedulerConfiguration(), logger: logger)
        self.scheduler = scheduler
        calls = MasterCalls(scheduler: scheduler, logger: logger)
        scheduler.start()
        let ticker = Task { [options] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(options.tickInterval * 1000)))
                self.tick()
            }
        }
        defer { ticker.cancel() }
        for await event in scheduler.events {
            if case .error(let message) = event {
                logger.error("the master refused the framework: \(message)")
                break
            }
            handle(event)
        }
        calls?.finish()
        await scheduler.stop()
        await server.shutdown()
    }

    private func schedulerConfiguration() throws -> SchedulerConfiguration {
        var info = Fairway_V1_FrameworkInfo()
        info.user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        info.name = options.name
        info.role = options.role
        info.failoverTimeout = options.failoverTimeout
        info.checkpoint = true
        info.hostname = ProcessInfo.processInfo.hostName
        info.webuiURL = "http://\(options.host):\(server?.port ?? options.port)/jobs"
        if let id = try store.setting("framework_id") { info.id.value = id }
        var configuration = SchedulerConfiguration(master: options.master, frameworkInfo: info, implicitAcknowledgements: false)
        configuration.maximumBackoff = 5
        return configuration
    }

    /// Carries out the planner's actions.
    func perform(_ actions: [BatchAction]) {
        for action in actions {
            if case .jobChanged = action {} else { logger.debug("planner: \(action)") }
            switch action {
            case .launch(let offerID, _, let plans): launch(plans, offerID: offerID)
            case .decline(let offerIDs, let refuseSeconds): decline(offerIDs, refuseSeconds: refuseSeconds)
            case .kill(let attemptID, let agentID): calls?.kill(task: attemptID, agent: agentID)
            case .declareDemand(let shapes): declare(shapes)
            case .suppress:
                calls?.send("SUPPRESS") { [role = options.role] in try await $0.suppress(roles: [role]) }
            case .revive:
                calls?.send("REVIVE") { [role = options.role] in try await $0.revive(roles: [role]) }
            case .jobChanged: break
            case .jobFinished(let jobID, let state, let message): finished(jobID, state: state, message: message)
            }
        }
    }
}
