import Foundation

/// The throughput bench's JSON line: rates, latencies, counts, and where the time went.
extension PodThroughputBenchmark {
    func report(created: PodBenchClients.Outcome, seen: PodBenchWatch.Seen, master: PodBenchMaster, calls: [String: Int],
                cpuSeconds: Double, loadBefore: String, scheduleStart: UInt64?) async -> [String: Any] {
        let first = created.sentAt.values.min() ?? 0
        let lastCreate = created.answeredAt.values.max() ?? first
        let lastRunning = seen.runningAt.values.max() ?? first
        let seconds = Double(lastRunning - first) / 1e9
        let createSeconds = Double(lastCreate - first) / 1e9
        func latencies(_ ends: [String: UInt64]) -> [Double] {
            ends.compactMap { key, end in created.sentAt[key].map { end > $0 ? Double(end - $0) / 1e6 : 0 } }.sorted()
        }
        let bound = latencies(seen.scheduledAt), running = latencies(seen.runningAt)
        let spread = Self.spread(seen.nodes)
        var line: [String: Any] = [:]
        if let scheduleStart {
            let scheduling = Double(lastRunning - scheduleStart) / 1e9
            line["create_first"] = true
            line["schedule_seconds"] = BenchStatistics.rounded(scheduling)
            line["scheduled_pods_per_second"] = scheduling > 0 ? (Double(pods) / scheduling).rounded() : 0
        }
        return line.merging([
            "benchmark": "pods_throughput",
            "agents": agents, "pods": pods, "controllers": controllers, "clients": clients, "window_s": window,
            "seconds": BenchStatistics.rounded(seconds),
            "pods_per_second": seconds > 0 ? (Double(pods) / seconds).rounded() : 0,
            "create_seconds": BenchStatistics.rounded(createSeconds),
            "creates_per_second": createSeconds > 0 ? (Double(pods) / createSeconds).rounded() : 0,
            "create_to_bound_ms": ["p50": BenchStatistics.rounded(BenchStatistics.percentile(bound, 0.5), 1),
                                   "p99": BenchStatistics.rounded(BenchStatistics.percentile(bound, 0.99), 1)],
            "create_to_running_ms": ["p50": BenchStatistics.rounded(BenchStatistics.percentile(running, 0.5), 1),
                                     "p99": BenchStatistics.rounded(BenchStatistics.percentile(running, 0.99), 1),
                                     "max": BenchStatistics.rounded(running.last ?? 0, 1)],
            "allocation_passes": await master.passes,
            "offers_made": await master.offersMade,
            "scheduler_calls": calls,
            "agents_used": spread.agents,
            "max_replicas_of_a_controller_on_one_agent": spread.maxReplicas,
            "cpu_seconds": BenchStatistics.rounded(cpuSeconds, 2),
            "loadavg_before": loadBefore, "loadavg_after": Self.loadAverage(),
            "master_time_in": await master.times.json,
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

    /// How the pods landed: agents used, and the most replicas of one controller on one agent
    /// (pod names start with their controller's, `appN-`).
    static func spread(_ nodes: [String: String]) -> (agents: Int, maxReplicas: Int) {
        var perControllerAgent: [String: Int] = [:]
        for (key, node) in nodes {
            let controller = key.split(separator: "-").first.map(String.init) ?? key
            perControllerAgent[controller + "@" + node, default: 0] += 1
        }
        return (Set(nodes.values).count, perControllerAgent.values.max() ?? 0)
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
