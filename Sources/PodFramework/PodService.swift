import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import FrameworkKit
import KubeAPI
import Logging
import NIOSSL
import PodCore

/// `fairway pods`: Kubernetes on Fairway. It serves a Kubernetes-compatible API whose objects
/// live in SQLite, runs the pure `PodTracker` against the offers it gets as one framework among
/// others, and runs the controllers (replication, endpoints) and this machine's service proxy and
/// DNS beside it.
public actor PodService {
    let options: PodOptions
    let logger: Logger
    let store: KubeStore
    let writes: StoreWrites
    let factory = TaskGroupFactory()
    var tracker: PodTracker
    /// Makes the line to the master from the framework's configuration: a `Scheduler` over HTTP,
    /// or in a benchmark an in-process master.
    let makeLink: @Sendable (SchedulerConfiguration, Logger) -> any SchedulerLink
    var calls: MasterCalls?
    var server: HTTPServer?
    /// Pods known to the tracker, by uid.
    var manifests: [String: PodManifest] = [:]
    /// The offers held.
    var desk = OfferDesk()
    /// Services by namespace and name, for the `NAME_SERVICE_HOST` variables of new pods.
    var services: [String: [String: JSON]] = [:]
    var background: [Task<Void, Never>] = []
    /// Demand not sent yet, and the window during which newer demand waits.
    var unsentDemand: [PodDemand]?
    var demandTimer: Task<Void, Never>?
    static let demandInterval: Duration = .milliseconds(100)

    static let agentAnnotation = "fairway.io/agent-id"

    public init(options: PodOptions, logger: Logger = Logger(label: "fairway.pods"),
                link makeLink: @escaping @Sendable (SchedulerConfiguration, Logger) -> any SchedulerLink = {
                    Scheduler(configuration: $0, logger: $1)
                }) throws {
        self.options = options
        self.logger = logger
        self.makeLink = makeLink
        tracker = PodTracker(placer: PodPlacer(maximumPodsPerAgent: options.maximumPodsPerAgent))
        try FileManager.default.createDirectory(atPath: options.workDir, withIntermediateDirectories: true)
        var storeOptions = KubeStoreOptions()
        storeOptions.serviceCIDR = options.serviceCIDR
        store = try KubeStore(path: options.workDir + "/pods.db", options: storeOptions, clock: { Date() })
        writes = StoreWrites(store: store, logger: logger)
    }


    static func now() -> Double { Date().timeIntervalSince1970 }

    /// The port the Kubernetes API listens on, once `run` has started it.
    public var apiPort: Int? { server?.port }


    /// The framework id the master gave, kept beside the store so a restart fails over to it.
    var frameworkID: String? {
        (try? String(contentsOfFile: options.workDir + "/framework_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
    }

    func saveFrameworkID(_ id: String) {
        do {
            try id.write(toFile: options.workDir + "/framework_id", atomically: true, encoding: .utf8)
        } catch {
            logger.error("cannot keep the framework id in \(options.workDir): \(error); a restart will register anew")
        }
    }

    /// Serves the API, subscribes, and runs until the master refuses the framework or the task is
    /// cancelled.
    public func run() async throws {
        let handler = KubeAPIHandler(store: store, logs: AgentLogSource(master: options.master), bearerToken: options.bearerToken,
                                     logger: logger)
        var tls: NIOSSLContext?
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            do {
                tls = try HTTPServer.tlsContext(certificate: certificate, key: key)
            } catch {
                throw PodServiceError("cannot serve HTTPS with certificate \(certificate) and key \(key): \(error)")
            }
        }
        let server = try await HTTPServer.start(host: options.host, port: options.apiPort, handler: handler, logger: logger, tls: tls)
        self.server = server
        try? String(server.port).write(toFile: options.workDir + "/port", atomically: true, encoding: .utf8)
        let scheme = tls == nil ? "http" : "https"
        if options.announce {
            FileHandle.standardOutput.write(Data("fairway pods: Kubernetes API on \(scheme)://\(options.host):\(server.port), master \(options.master), role \(options.role)\n".utf8))
        }

        try await recover()
        let scheduler = makeLink(schedulerConfiguration(), logger)
        calls = MasterCalls(scheduler: scheduler, logger: logger)
        startControllers()
        scheduler.start()
        background.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                await self.tick()
            }
        })
        background.append(Task { [store, logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                let expired = await store.expireEvents()
                if expired > 0 { logger.debug("\(expired) events older than an hour deleted") }
            }
        })
        for await event in scheduler.events {
            if case .error(let message) = event {
                logger.error("the master refused the framework: \(message)")
                break
            }
            handle(event)
        }
        for task in background { task.cancel() }
        calls?.finish()
        await writes.finish()
        await scheduler.stop()
        await server.shutdown()
    }

    private func schedulerConfiguration() -> SchedulerConfiguration {
        var info = Fairway_V1_FrameworkInfo()
        info.user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        info.name = options.name
        info.role = options.role
        info.failoverTimeout = options.failoverTimeout
        info.checkpoint = true
        info.hostname = ProcessInfo.processInfo.hostName
        info.webuiURL = "http://\(options.host):\(server?.port ?? options.apiPort)/api/v1/pods"
        if let id = frameworkID { info.id.value = id }
        var configuration = SchedulerConfiguration(master: options.master, frameworkInfo: info, implicitAcknowledgements: false)
        configuration.maximumBackoff = 5
        return configuration
    }

    func tick() { perform(tracker.tick(now: Self.now())) }

    /// Carries out the tracker's actions. The status of a pod launched by the same actions is
    /// written with its binding, in one change.
    func perform(_ actions: [PodAction]) {
        var launching = Set<String>()
        for case .launch(_, _, let uids, _) in actions { launching.formUnion(uids) }
        for action in actions {
            switch action {
            case .launch(let offerID, _, let uids, let refuse): launch(uids, offerID: offerID, refuseSeconds: refuse)
            case .decline(let offerIDs, let refuseSeconds): decline(offerIDs, refuseSeconds: refuseSeconds)
            case .kill(let taskIDs, let agentID):
                for id in taskIDs { calls?.kill(task: id, agent: agentID) }
            case .status(let uid, let status):
                if !launching.contains(uid) { writeStatus(uid, status) }
            case .event(let uid, let warning, let reason, let message): recordEvent(uid, warning: warning, reason: reason, message: message)
            case .declareDemand(let demand): declare(demand)
            case .suppress:
                calls?.send("SUPPRESS") { [role = options.role] in try await $0.suppress(roles: [role]) }
            case .revive:
                calls?.send("REVIVE") { [role = options.role] in try await $0.revive(roles: [role]) }
            }
        }
    }
}

/// Why the pods framework cannot start, in words that say what to fix.
public struct PodServiceError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
