import FairwayHTTP
import Foundation
import KubeAPI
import Logging
import FrameworkKit
import PodFramework
import Synchronization

/// `fairway-bench pods throughput`: pod scheduling throughput as the kube-scheduler benchmark
/// sizes it (5,000 nodes, 10,000 pods), end to end in one process: the real `PodService` — its
/// Kubernetes API over HTTP, store, pod watch, `PodTracker`, controllers and status writes — with
/// an in-process `MasterState` behind its `SchedulerLink` in place of the HTTP master, whose
/// simulated agents answer every LAUNCH_GROUP with TASK_RUNNING at once. Pods are created by
/// HTTP clients and seen Running by an HTTP watch, as a user would see them.
struct PodThroughputBenchmark {
    var agents = 5000
    var pods = 10000
    var controllers = 20
    var clients = 16
    var window = 0.005
    var createsOnly = false
    var createFirst = false
    var timeout = 600.0

    static let usage = """
        usage: fairway-bench pods throughput [--agents N (5000)] [--pods N (10000)] [--controllers N (20)]
                                             [--clients N (16)] [--window SECONDS (0.005)] [--creates-only] [--create-first]
                                             [--timeout SECONDS (600)]
        Pods of N controllers (four shapes, 0.5-1.25 cpus, 256 MiB) created through POST /api/v1/namespaces/default/pods
        of the pods framework (PodService, as `fairway pods` runs it) by concurrent clients, placed on offers from an
        in-process MasterState with M simulated agents (8 cpus, 16 GiB each) that allocates `window` seconds after
        the first event needing it, launched with LAUNCH_GROUP, and seen Running by a client's watch. Prints one JSON
        object: pods per second from the first create to the last pod seen Running, the create rate alone, allocation
        passes, offers, create->bound and create->Running latencies, calls by type, and the master's time.
        --creates-only times the creates alone (API and store; no framework, master or watch). --create-first
        creates every pod before the framework subscribes, and also reports scheduling alone (subscribe to the last
        pod Running). Work dir on /dev/shm. Build in release mode.
        """

    static func parse(_ arguments: [String]) throws(BenchError) -> PodThroughputBenchmark? {
        var benchmark = PodThroughputBenchmark()
        var flags = BenchFlags(arguments)
        while let flag = flags.next() {
            switch flag {
            case "--agents": benchmark.agents = try flags.integer(for: flag)
            case "--pods": benchmark.pods = try flags.integer(for: flag)
            case "--controllers": benchmark.controllers = try flags.integer(for: flag)
            case "--clients": benchmark.clients = try flags.integer(for: flag)
            case "--window": benchmark.window = try flags.number(for: flag)
            case "--timeout": benchmark.timeout = try flags.number(for: flag)
            case "--creates-only": benchmark.createsOnly = true
            case "--create-first": benchmark.createFirst = true
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench pods throughput`; see `fairway-bench pods throughput --help`")
            }
        }
        return benchmark
    }

    func run() async throws -> [String: Any] {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let directory = base + "/fairway-podbench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "fairway.bench.pods")
        logger.logLevel = .warning
        if createsOnly { return try await timeCreates(directory: directory, logger: logger) }

        BenchOutput.progress("registering \(agents) simulated agents")
        let master = PodBenchMaster(agents: agents, cpus: 8, memMB: 16384, window: window)
        var options = PodOptions(master: "in-process", workDir: directory)
        options.apiPort = 0
        options.serviceNetwork = false
        options.announce = false
        let links = PodBenchLinks(master: master, opened: !createFirst)
        let service = try PodService(options: options, logger: logger, link: { configuration, _ in links.make(configuration) })
        let running = Task { try await service.run() }
        defer { running.cancel() }
        try await waitFor("the pods framework serves its API", timeout: 60) { await service.apiPort != nil }
        let address = "127.0.0.1:\(await service.apiPort ?? 0)"
        let watch = PodBenchWatch(address: address)
        try await watch.start()
        defer { watch.stop() }
        let creators = PodBenchClients(address: address, pods: pods, controllers: controllers, clients: clients)

        let cpuBefore = Self.cpuSeconds()
        let loadBefore = Self.loadAverage()
        var created = PodBenchClients.Outcome()
        if createFirst { created = try await create(creators) }
        let scheduleStart = Stopwatch.nanoseconds()
        try await waitFor("the pods framework has a link to the master", timeout: 60) { links.link != nil }
        await links.link?.open()
        if !createFirst { created = try await create(creators) }
        var lastCount = -1
        var lastProgress = Stopwatch.nanoseconds()
        try await waitFor("all \(pods) pods are seen Running", timeout: timeout) {
            let count = watch.seen.runningAt.count
            if count != lastCount {
                lastCount = count
                lastProgress = Stopwatch.nanoseconds()
            } else if Stopwatch.nanoseconds() - lastProgress > UInt64(min(300, timeout / 2) * 1e9) {
                throw BenchError("no pod became Running for \(Int(min(300, timeout / 2))) s (\(count) of \(pods) Running); the run is stuck: "
                    + "master \(await master.diagnosis()), calls \(links.link?.counts.withLock { $0 } ?? [:])")
            }
            return count >= pods
        }
        let cpuSeconds = Self.cpuSeconds() - cpuBefore
        return await report(created: created, seen: watch.seen, master: master, calls: links.link?.counts.withLock { $0 } ?? [:],
                            cpuSeconds: cpuSeconds, loadBefore: loadBefore, scheduleStart: createFirst ? scheduleStart : nil)
    }

    private func create(_ creators: PodBenchClients) async throws -> PodBenchClients.Outcome {
        BenchOutput.progress("creating \(pods) pods through the API with \(clients) clients")
        let created = try await creators.run()
        guard created.failures.isEmpty else {
            throw BenchError("\(created.failures.count) creates failed, first: \(created.failures[0])")
        }
        return created
    }

    /// `--creates-only`: the API and the store alone.
    private func timeCreates(directory: String, logger: Logger) async throws -> [String: Any] {
        let store = try KubeStore(path: directory + "/pods.db", clock: { Date() })
        let handler = PodBenchTimedHandler(inner: KubeAPIHandler(store: store))
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, logger: logger)
        let creators = PodBenchClients(address: "127.0.0.1:\(server.port)", pods: pods, controllers: controllers, clients: clients)
        let created = try await create(creators)
        await server.shutdown()
        let first = created.sentAt.values.min() ?? 0, last = created.answeredAt.values.max() ?? first
        let seconds = Double(last - first) / 1e9
        return ["benchmark": "pods_creates_only", "pods": pods, "clients": clients,
                "create_seconds": BenchStatistics.rounded(seconds),
                "creates_per_second": seconds > 0 ? (Double(pods) / seconds).rounded() : 0,
                "loadavg_after": Self.loadAverage(), "time_in": handler.box.times.withLock { $0 }.json, "build": Self.build]
    }
}

/// Hands `PodService` its link to the bench's master and keeps it for the bench (to open it and
/// read its call counts).
final class PodBenchLinks: Sendable {
    private let master: PodBenchMaster
    private let opened: Bool
    private let made = Mutex<PodBenchLink?>(nil)

    init(master: PodBenchMaster, opened: Bool) {
        self.master = master
        self.opened = opened
    }

    var link: PodBenchLink? { made.withLock { $0 } }

    func make(_ configuration: SchedulerConfiguration) -> PodBenchLink {
        let link = PodBenchLink(master: master, frameworkInfo: configuration.frameworkInfo, opened: opened)
        made.withLock { $0 = link }
        return link
    }
}
