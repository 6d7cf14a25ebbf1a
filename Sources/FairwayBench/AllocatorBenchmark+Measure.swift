import FairwayCore
import Allocator
import Foundation

extension AllocatorBenchmark {
    /// Measures one profile in this process and returns its JSON object.
    func measure(_ profile: AllocatorProfile) throws -> [String: Any] {
        var workload = try AllocatorWorkload(profile: profile)
        let log = { (message: String) in BenchOutput.progress("[\(profile.name)] \(message)") }

        // Build phase and full allocation, on a fresh allocator each time: timing a pass over a
        // copy would also time the copy-on-write of every table the pass touches.
        var addFrameworks: [Double] = []
        var addAgents: [Double] = []
        var fullAllocation: [Double] = []
        var offerCount = 0
        var allocator = DRFAllocator()
        var firstOffers: [Allocation] = []
        for run in 0..<repeats {
            log("build and full allocation \(run + 1) of \(repeats)")
            var fresh = DRFAllocator()
            addFrameworks.append(Stopwatch.milliseconds { workload.addFrameworks(to: &fresh) }.1)
            addAgents.append(Stopwatch.milliseconds { workload.addAgents(to: &fresh) }.1)
            let (offers, elapsed) = Stopwatch.milliseconds { fresh.allocate(now: 0) }
            fullAllocation.append(elapsed)
            offerCount = offers.count
            if run == repeats - 1 {
                allocator = fresh
                firstOffers = offers
            }
        }

        guard events > 0 else {
            return [
                "benchmark": "allocator", "profile": profile.name, "agents": profile.agents,
                "frameworks": profile.frameworks, "roles": profile.roleCount, "repeat": repeats,
                "add_frameworks_ms": BenchStatistics.rounded(BenchStatistics.median(addFrameworks)),
                "add_agents_ms": BenchStatistics.rounded(BenchStatistics.median(addAgents)),
                "full_allocation_ms": [
                    "median": BenchStatistics.rounded(BenchStatistics.median(fullAllocation)),
                    "max": BenchStatistics.rounded(fullAllocation.max() ?? 0),
                ],
                "offers": offerCount, "build": Self.buildConfiguration,
            ]
        }

        log("warming up to a steady state")
        let (warmupRounds, warmupMilliseconds) = Stopwatch.milliseconds { () -> Int in
            workload.answer(firstOffers, allocator: &allocator, now: 0)
            return 1 + workload.settle(allocator: &allocator, now: 0)
        }
        let runningAtStart = workload.running.count

        log("\(events) task ends (budget \(Int(eventBudgetSeconds)) s)")
        var generator = SeededRandom(seed: seed)
        var latencies: [Double] = []
        latencies.reserveCapacity(events)
        var withoutOffer = 0
        var truncated = false
        var now = 1.0
        let deadline = Stopwatch.nanoseconds() + UInt64(eventBudgetSeconds * 1e9)
        while latencies.count < events {
            if Stopwatch.nanoseconds() > deadline {
                truncated = true
                break
            }
            now += 0.001
            guard let result = workload.endRandomTask(allocator: &allocator, now: now, generator: &generator) else { break }
            latencies.append(result.microseconds)
            if !result.offered { withoutOffer += 1 }
            workload.answer(result.offers, allocator: &allocator, now: now)
            _ = workload.settle(allocator: &allocator, now: now, maximumRounds: 8)
        }
        latencies.sort()

        let r = { (value: Double) in BenchStatistics.rounded(value) }
        var result: [String: Any] = [
            "benchmark": "allocator",
            "profile": profile.name,
            "agents": profile.agents,
            "frameworks": profile.frameworks,
            "roles": profile.roleCount,
            "agent_resources": AllocatorProfile.agentResources,
            "repeat": repeats,
            "add_frameworks_ms": r(BenchStatistics.median(addFrameworks)),
            "add_agents_ms": r(BenchStatistics.median(addAgents)),
            "full_allocation_ms": [
                "median": r(BenchStatistics.median(fullAllocation)),
                "max": r(fullAllocation.max() ?? 0),
                "runs": fullAllocation.map(r),
            ],
            "offers": offerCount,
            "warmup_rounds": warmupRounds,
            "warmup_ms": r(warmupMilliseconds),
            "running_tasks": runningAtStart,
            "event_to_offer_us": [
                "p50": r(BenchStatistics.percentile(latencies, 0.5)),
                "p99": r(BenchStatistics.percentile(latencies, 0.99)),
                "max": r(latencies.last ?? 0),
                "events": latencies.count,
                "without_offer": withoutOffer,
            ],
            "events_truncated": truncated,
            "peak_rss_mb": BenchStatistics.peakRSSMegabytes(),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "build": Self.buildConfiguration,
        ]
        if let quota = profile.quota {
            result["quota"] = ["guarantees": quota.guarantees, "limits": quota.limits]
        }
        if let reference = profile.mesosReference { result["mesos_reference_ms"] = reference.json }
        if !profile.targets.isEmpty { result["targets"] = profile.targets }
        return result
    }

    static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
}
