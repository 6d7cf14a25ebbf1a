import Foundation
import PodCore

/// The pods framework's placement core alone, in memory: one pass of `PodPlacer` placing N pending
/// pods (20 replication controllers, four shapes) on the offers of M agents, as the kube-scheduler
/// benchmark sizes it (5,000 nodes, 10,000 pods). Prints one JSON object. It measures only the
/// placement decisions; the end-to-end figure (pods created through the API, placed through
/// offers) needs the pods framework.
struct PlacementBenchmark {
    var agents = 5000
    var pods = 10000
    var repeats = 5

    static let usage = """
        usage: fairway-bench placement [--agents N (5000)] [--pods N (10000)] [--repeat K (5)]
        One PodPlacer pass over N pods and the offers of M agents (8 cpus, 16 GiB each), K times;
        prints the median pass time and pods per second as one JSON object. Build in release mode.
        """

    static func parse(_ arguments: [String]) throws(BenchError) -> PlacementBenchmark? {
        var benchmark = PlacementBenchmark()
        var flags = BenchFlags(arguments)
        while let flag = flags.next() {
            switch flag {
            case "--agents": benchmark.agents = try flags.integer(for: flag)
            case "--pods": benchmark.pods = try flags.integer(for: flag)
            case "--repeat": benchmark.repeats = try flags.integer(for: flag)
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench placement`; see `fairway-bench placement --help`")
            }
        }
        return benchmark
    }

    func run() -> [String: Any] {
        let offers = (0..<agents).map { index in
            let id = String(format: "agent-%05d", index)
            return AgentOffer(offerID: "offer-\(index)", agentID: id, hostname: id, cpus: 8, memMB: 16384,
                              attributes: [AgentOffer.hostnameLabel: id])
        }
        let pending = (0..<pods).map { index in
            let shape = index % 20
            return PodRequest(uid: "pod-\(index)", name: "pod-\(index)", cpus: 0.5 + Double(shape % 4) * 0.25, memMB: 256,
                              controllerKey: "rc/default/app\(shape)", createdAt: Double(index))
        }
        var times: [Double] = []
        var placed = 0
        for _ in 0..<repeats {
            var placer = PodPlacer()
            let (result, milliseconds) = Stopwatch.milliseconds { placer.place(pending: pending, offers: offers, now: 0) }
            times.append(milliseconds)
            placed = result.assignments.count
        }
        let median = BenchStatistics.median(times)
        return [
            "benchmark": "pod_placement",
            "agents": agents,
            "pods": pods,
            "placed": placed,
            "pass_ms": (median * 10).rounded() / 10,
            "pods_per_second": median > 0 ? (Double(pods) / median * 1000).rounded() : 0,
            "runs_ms": times.map { ($0 * 10).rounded() / 10 },
            "build": "release",
        ]
    }
}
