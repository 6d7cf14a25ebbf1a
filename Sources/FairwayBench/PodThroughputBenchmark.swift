import FairwayHTTP
import Foundation
import KubeAPI
import Logging

/// `fairway-bench pods throughput`: pod scheduling throughput as the kube-scheduler benchmark
/// sizes it (5,000 nodes, 10,000 pods), end to end in one process — pods created through the
/// Kubernetes API over HTTP, watched from the store by the pods framework's shell, placed by
/// `PodTracker` on offers from `MasterState`'s allocation passes, launched with LAUNCH_GROUP on
/// simulated agents that answer TASK_RUNNING at once, and their status written back to the store.
struct PodThroughputBenchmark {
    var agents = 5000
    var pods = 10000
    var controllers = 20
    var clients = 16
    var window = 0.005
    var coalesceDemand = false
    var coalesceStatus = false
    var eventInterval = 0.0
    var quietPending = false
    var createsOnly = false
    var createFirst = false
    var timeout = 600.0

    static let usage = """
        usage: fairway-bench pods throughput [--agents N (5000)] [--pods N (10000)] [--controllers N (20)]
                                             [--clients N (16)] [--window SECONDS (0.005)] [--coalesce-demand]
                                             [--coalesce-status] [--event-interval SECONDS (0)] [--tuned] [--quiet-pending]
                                             [--creates-only] [--create-first]
        Pods of N controllers (four shapes, 0.5-1.25 cpus, 256 MiB) created through POST /api/v1/namespaces/default/pods
        by concurrent clients, placed on offers from an in-process MasterState with M simulated agents (8 cpus,
        16 GiB each), launched with LAUNCH_GROUP, Running in the store. Prints one JSON object: pods per second
        from the first create to the last pod Running, the create rate alone, allocation and placement passes,
        offers, create->bound and create->Running latencies, and where the time went. Without options the shell
        does what PodService does; the options try changes to it: --coalesce-demand lets a newer REQUEST replace
        one still queued, --coalesce-status a pod's newer status write replace one still queued, --event-interval
        records at most one FailedScheduling event per pod in that many seconds; --tuned is all three (10 s).
        --quiet-pending drops the PodScheduled=False writes and FailedScheduling events of pods that merely missed
        a pass's offers (what a PodTracker judging pods against the whole cluster would leave out).
        --creates-only times the creates alone: API and store, no framework, master or watch. --create-first
        creates every pod before the framework starts, and also times scheduling alone (start to last Running).
        Store on /dev/shm. Build in release mode.
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
            case "--coalesce-demand": benchmark.coalesceDemand = true
            case "--coalesce-status": benchmark.coalesceStatus = true
            case "--event-interval": benchmark.eventInterval = try flags.number(for: flag)
            case "--quiet-pending": benchmark.quietPending = true
            case "--creates-only": benchmark.createsOnly = true
            case "--create-first": benchmark.createFirst = true
            case "--tuned":
                benchmark.coalesceDemand = true
                benchmark.coalesceStatus = true
                benchmark.eventInterval = 10
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

        let store = try KubeStore(path: directory + "/pods.db", clock: { Date() })
        let handler = PodBenchTimedHandler(inner: KubeAPIHandler(store: store))
        var logger = Logger(label: "fairway.bench.pods")
        logger.logLevel = .warning
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, logger: logger)
        let creators = PodBenchClients(address: "127.0.0.1:\(server.port)", pods: pods, controllers: controllers, clients: clients)
        if createsOnly { return try await timeCreates(creators, server: server, handler: handler) }
        let cpuBefore = Self.cpuSeconds()
        let loadBefore = Self.loadAverage()
        var created = PodBenchClients.Outcome()
        if createFirst { created = try await create(creators) }
        let scheduleStart = Stopwatch.nanoseconds()

        BenchOutput.progress("registering \(agents) simulated agents")
        let master = PodBenchMaster(agents: agents, cpus: 8, memMB: 16384, window: window)
        let calls = PodBenchCallLane(master: master, coalesceDemand: coalesceDemand)
        let acknowledgements = PodBenchCallLane(master: master, coalesceDemand: false)
        let writes = PodBenchWrites(store: store, coalesceStatus: coalesceStatus)
        let shell = PodBenchShell(store: store, writes: writes, calls: calls, acknowledgements: acknowledgements, role: "services",
                                  failedSchedulingInterval: eventInterval, quietPending: quietPending)
        let pump = Task { for await event in master.eventStream { await shell.handle(event) } }
        let watch = Task { await shell.watchPods() }
        let ticks = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                await shell.tick()
            }
        }
        defer {
            pump.cancel()
            watch.cancel()
            ticks.cancel()
            calls.finish()
            acknowledgements.finish()
            writes.finish()
        }
        _ = try await master.subscribe(name: "fairway-pods", role: "services")
        try await waitFor("the pods shell watches the store", timeout: timeout) { await store.watcherCount > 0 }
        if !createFirst { created = try await create(creators) }
        var lastCount = -1
        var lastProgress = Stopwatch.nanoseconds()
        try await waitFor("all \(pods) pods are Running in the store", timeout: timeout) {
            let count = writes.runningCount
            if count != lastCount {
                lastCount = count
                lastProgress = Stopwatch.nanoseconds()
            } else if Stopwatch.nanoseconds() - lastProgress > UInt64(min(300, timeout / 2) * 1e9) {
                throw BenchError("no pod became Running for \(Int(min(300, timeout / 2))) s (\(count) of \(pods) Running); the run is stuck: "
                    + "\(await shell.diagnosis()), master \(await master.diagnosis()), calls \(calls.counts)")
            }
            return count >= pods
        }
        let cpuSeconds = Self.cpuSeconds() - cpuBefore
        await server.shutdown()
        return try await report(created: created, writes: writes.snapshot, shell: shell, master: master, calls: calls,
                                handler: handler, store: store, cpuSeconds: cpuSeconds, loadBefore: loadBefore,
                                scheduleStart: createFirst ? scheduleStart : nil)
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
    private func timeCreates(_ creators: PodBenchClients, server: HTTPServer, handler: PodBenchTimedHandler) async throws -> [String: Any] {
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
