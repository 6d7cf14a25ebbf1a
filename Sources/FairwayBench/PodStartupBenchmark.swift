import AsyncHTTPClient
import FairwayTesting
import Foundation
import NIOCore

/// `fairway-bench pods startup`: pod startup latency on a real local cluster — a master, two
/// agents and `fairway pods` (the release binaries, on loopback) — as Kubernetes's pod startup SLO
/// measures it: pods created through the API at a steady pace, each timed from its POST to the
/// watch event that first shows it Running.
struct PodStartupBenchmark {
    var pods = 200
    var rate = 20.0
    var agents = 2
    var clients = 4

    static let usage = """
        usage: fairway-bench pods startup [--pods N (200)] [--rate PODS_PER_SECOND (20)] [--agents N (2)]
        Starts a master, agents (8 cpus, 8 GiB each; with the pod network when the agent binary has it) and
        `fairway pods` from the fairway binary next to this one (or $FAIRWAY_BIN); creates N pods (one container
        `sleep 600`, cpu 10m, memory 16Mi) through the API at a steady rate while watching pods, and prints the
        create->Running latency (POST sent to the watch event showing phase Running) p50/p90/p99/max as one JSON
        object. Every process it started is killed at the end.
        """

    static func parse(_ arguments: [String]) throws(BenchError) -> PodStartupBenchmark? {
        var benchmark = PodStartupBenchmark()
        var flags = BenchFlags(arguments)
        while let flag = flags.next() {
            switch flag {
            case "--pods": benchmark.pods = try flags.integer(for: flag)
            case "--rate": benchmark.rate = try flags.number(for: flag)
            case "--agents": benchmark.agents = try flags.integer(for: flag)
            case "--clients": benchmark.clients = try flags.integer(for: flag)
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench pods startup`; see `fairway-bench pods startup --help`")
            }
        }
        return benchmark
    }

    func run() async throws -> [String: Any] {
        let cluster = try ProcessCluster(logLevel: "warning")
        let hasPodNetwork = (try? cluster.runFairway(["agent", "--help"]))?.output.contains("--pod-bridge") ?? false
        let network = hasPodNetwork ? cluster.testPodNetwork() : nil
        defer {
            cluster.shutdown()
            let root = cluster.root.path
            let stragglers = ProcessSweep.kill(timeout: 15) { $0.workingDirectory.hasPrefix(root) || $0.command.contains(root) }
            if stragglers > 0 { BenchOutput.progress("killed \(stragglers) processes left under \(cluster.root.path) after the shutdown") }
            if let network { cluster.removePodNetwork(network) }
        }
        try await cluster.startMaster()
        for index in 1...agents {
            try await cluster.startAgent(index: index, resources: "cpus:8;mem:8192;disk:10000;ports:[31000-32000]",
                                         extra: ["--hostname", "agent\(index)"] + (network?.agentArguments ?? []))
        }
        let address = try await cluster.startPods(extra: network?.podsArguments ?? ["--no-service-network"])
        let watch = PodBenchWatch(address: address)
        try await watch.start()
        defer { watch.stop() }

        BenchOutput.progress("creating \(pods) pods at \(rate)/s (pod network: \(hasPodNetwork ? "on" : "off"))")
        var creators = PodBenchClients(address: address, pods: pods, controllers: 1, clients: clients)
        creators.owned = false
        creators.cpus = { _ in "10m" }
        creators.memory = "16Mi"
        let loadBefore = PodThroughputBenchmark.loadAverage()
        let created = try await creators.run(pace: rate)
        guard created.failures.isEmpty else {
            throw BenchError("\(created.failures.count) creates failed, first: \(created.failures[0])")
        }
        try await waitFor("all \(pods) pods are Running", timeout: 120) { watch.seen.runningAt.count >= pods }
        let seen = watch.seen
        func latencies(_ ends: [String: UInt64]) -> [Double] {
            ends.compactMap { key, end in created.sentAt[key].map { Double(end - $0) / 1e6 } }.sorted()
        }
        try await deleteAll(address: address, root: cluster.root.path)
        let running = latencies(seen.runningAt), scheduled = latencies(seen.scheduledAt)
        let first = created.sentAt.values.min() ?? 0, last = created.sentAt.values.max() ?? first
        func summary(_ values: [Double]) -> [String: Double] {
            ["p50": BenchStatistics.rounded(BenchStatistics.percentile(values, 0.5), 1),
             "p90": BenchStatistics.rounded(BenchStatistics.percentile(values, 0.9), 1),
             "p99": BenchStatistics.rounded(BenchStatistics.percentile(values, 0.99), 1),
             "max": BenchStatistics.rounded(values.last ?? 0, 1)]
        }
        return [
            "benchmark": "pods_startup_latency",
            "pods": pods,
            "agents": agents,
            "rate_requested": rate,
            "rate_achieved": last > first ? BenchStatistics.rounded(Double(pods - 1) / (Double(last - first) / 1e9), 1) : 0,
            "pod_network": hasPodNetwork,
            "pods_with_own_ip": seen.podIPs.count,
            "create_to_running_ms": summary(running),
            "create_to_scheduled_ms": summary(scheduled),
            "measured_by": "POST sent -> first watch event with status.phase Running (same process, monotonic clock)",
            "loadavg_before": loadBefore, "loadavg_after": PodThroughputBenchmark.loadAverage(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
    }

    /// Deletes the pods as a user would (DELETE on the collection) and waits until the agents
    /// have ended their containers, so the shutdown that follows finds nothing running.
    private func deleteAll(address: String, root: String) async throws {
        var request = HTTPClientRequest(url: "http://\(address)/api/v1/namespaces/default/pods")
        request.method = .DELETE
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else { throw BenchError("deleting the pods answered \(response.status)") }
        try await waitFor("the agents end every pod container", timeout: 60) {
            ProcessSweep.find { ($0.workingDirectory.hasPrefix(root) || $0.command.contains(root)) && $0.command.hasPrefix("sleep") }.isEmpty
        }
    }
}
