import Foundation
import KubeAPI

/// The throughput bench's JSON line: rates, latencies, counts, and where the time went.
extension PodThroughputBenchmark {
    func report(created: PodBenchClients.Outcome, writes: PodBenchWrites.Record, shell: PodBenchShell,
                master: PodBenchMaster, calls: PodBenchCallLane, handler: PodBenchTimedHandler,
                store: KubeStore, cpuSeconds: Double, loadBefore: String, scheduleStart: UInt64?) async throws -> [String: Any] {
        let first = created.sentAt.values.min() ?? 0
        let lastCreate = created.answeredAt.values.max() ?? first
        let lastRunning = writes.runningAt.values.max() ?? first
        let seconds = Double(lastRunning - first) / 1e9
        let createSeconds = Double(lastCreate - first) / 1e9
        func latencies(_ ends: [String: UInt64]) -> [Double] {
            ends.compactMap { key, end in created.sentAt[key].map { Double(end - $0) / 1e6 } }.sorted()
        }
        let bound = latencies(writes.boundAt), running = latencies(writes.runningAt)
        let (shellTimes, counters, lastLaunch) = await shell.report()
        var times = shellTimes
        times.merge(await master.times)
        times.merge(writes.times)
        times.merge(handler.box.times.withLock { $0 })
        let spread = try await Self.spread(store)
        var line: [String: Any] = [:]
        if let scheduleStart {
            let scheduling = Double(lastRunning - scheduleStart) / 1e9
            line["create_first"] = true
            line["schedule_seconds"] = BenchStatistics.rounded(scheduling)
            line["scheduled_pods_per_second"] = scheduling > 0 ? (Double(pods) / scheduling).rounded() : 0
        }
        return line.merging([
            "benchmark": "pods_throughput",
            "agents": agents, "pods": pods, "controllers": controllers, "clients": clients,
            "coalesce_demand": coalesceDemand, "coalesce_status": coalesceStatus, "event_interval_s": eventInterval,
            "quiet_pending": quietPending, "unschedulable_status_dropped": counters["unschedulable_status_dropped"] ?? 0,
            "seconds": BenchStatistics.rounded(seconds),
            "pods_per_second": seconds > 0 ? (Double(pods) / seconds).rounded() : 0,
            "create_seconds": BenchStatistics.rounded(createSeconds),
            "last_launch_seconds": BenchStatistics.rounded(Double(lastLaunch - first) / 1e9),
            "creates_per_second": createSeconds > 0 ? (Double(pods) / createSeconds).rounded() : 0,
            "create_to_bound_ms": ["p50": BenchStatistics.rounded(BenchStatistics.percentile(bound, 0.5), 1),
                                   "p99": BenchStatistics.rounded(BenchStatistics.percentile(bound, 0.99), 1)],
            "create_to_running_ms": ["p50": BenchStatistics.rounded(BenchStatistics.percentile(running, 0.5), 1),
                                     "p99": BenchStatistics.rounded(BenchStatistics.percentile(running, 0.99), 1),
                                     "max": BenchStatistics.rounded(running.last ?? 0, 1)],
            "allocation_passes": await master.passes,
            "offers_made": await master.offersMade,
            "placement_passes": counters["placement_passes"] ?? 0,
            "offers_used": counters["offers_used"] ?? 0,
            "offers_declined": counters["offers_declined"] ?? 0,
            "watch_relists": counters["watch_relists"] ?? 0,
            "events": counters.filter { $0.key.hasPrefix("events_") }.reduce(into: [String: Int]()) { $0[String($1.key.dropFirst(7))] = $1.value },
            "scheduler_calls": calls.counts,
            "store_write_failures": writes.failed,
            "status_writes_replaced": writes.replaced,
            "agents_used": spread.agents,
            "max_replicas_of_a_controller_on_one_agent": spread.maxReplicas,
            "cpu_seconds": BenchStatistics.rounded(cpuSeconds, 2),
            "loadavg_before": loadBefore, "loadavg_after": Self.loadAverage(),
            "time_in": times.json,
            "peak_rss_mb": BenchStatistics.peakRSSMegabytes(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "build": Self.build,
        ]) { first, _ in first }
    }

    #if DEBUG
    static let build = "debug"
    #else
    static let build = "release"
    #endif

    /// How the pods landed: agents used, and the most replicas of one controller on one agent.
    static func spread(_ store: KubeStore) async throws -> (agents: Int, maxReplicas: Int) {
        let list = try await store.list(.pods, namespace: "default", labels: nil, fields: nil)
        var perControllerAgent: [String: Int] = [:]
        var agents = Set<String>()
        for pod in list.items {
            guard let node = pod.string("spec", "nodeName") else { continue }
            agents.insert(node)
            perControllerAgent[(pod.string("metadata", "labels", "app") ?? "") + "@" + node, default: 0] += 1
        }
        return (agents.count, perControllerAgent.values.max() ?? 0)
    }

    /// The first three fields of /proc/loadavg (1, 5 and 15 minutes), to tell a quiet run from a busy one.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// User plus system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
