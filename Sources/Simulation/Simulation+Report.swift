import Allocator
import FairwayCore

/// Fairness samples and the final report.
extension Simulation {
    /// The roles the report follows: `role-1` ... `role-R`.
    var roleNames: [String] { (1...max(1, configuration.roles)).map { "role-\($0)" } }

    /// Records the fairness view of the allocator as it is now.
    mutating func sample() {
        let analysis = FairnessAnalysis(master.allocator.fairnessSnapshot())
        let byID = Dictionary(analysis.frameworks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byRole = Dictionary(analysis.roles.map { ($0.share.id, $0.share) }, uniquingKeysWith: { first, _ in first })
        recorder.samples.append(SimulationReport.Sample(
            time: now,
            shares: frameworks.map { byID[$0.frameworkID]?.dominantShare ?? 0 },
            idealShares: frameworks.map { byID[$0.frameworkID]?.idealShare ?? 0 },
            roleShares: roleNames.map { byRole[$0]?.dominantShare ?? 0 },
            jainIndex: analysis.jainIndex,
            utilisation: analysis.utilisation))
    }

    func report() -> SimulationReport {
        let samples = recorder.samples
        let steady = samples.filter { $0.time >= configuration.seconds / 2 }
        let last = samples.last
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

        let reportedFrameworks = frameworks.enumerated().map { index, framework in
            SimulationReport.Framework(
                name: framework.name, id: framework.frameworkID, role: framework.role,
                weight: master.allocator.weight(of: framework.role), shape: framework.shape.description,
                declaresDemand: framework.declaresDemand, tasksLaunched: framework.launched,
                tasksFinished: framework.finished, tasksFailed: framework.failed, tasksRunning: framework.running,
                offersReceived: framework.offersReceived, offersDeclined: framework.offersDeclined,
                dominantShare: last?.shares[index] ?? 0, meanShare: mean(steady.map { $0.shares[index] }),
                idealShare: last?.idealShares[index] ?? 0)
        }
        let reportedRoles = roleNames.enumerated().map { index, role in
            let quota = master.allocator.quota(of: role)
            return SimulationReport.Role(
                name: role, weight: master.allocator.weight(of: role), quotaGuarantees: quota?.guarantees,
                quotaLimits: quota?.limits, dominantShare: last?.roleShares[index] ?? 0,
                meanShare: mean(steady.map { $0.roleShares[index] }))
        }
        var meanUtilisation: [String: Double] = [:]
        for name in Set(steady.flatMap(\.utilisation.keys)) {
            meanUtilisation[name] = mean(steady.map { $0.utilisation[name] ?? 0 })
        }
        return SimulationReport(
            agents: configuration.agents, seconds: configuration.seconds, seed: configuration.seed,
            sampleInterval: configuration.sampleInterval, agentResources: configuration.agentResources.description,
            frameworks: reportedFrameworks, roles: reportedRoles, samples: samples,
            utilisation: last?.utilisation ?? [:], meanUtilisation: meanUtilisation,
            tasksLaunched: frameworks.reduce(0) { $0 + $1.launched },
            tasksCompleted: frameworks.reduce(0) { $0 + $1.finished },
            allocationPasses: recorder.passDurations.count, offers: recorder.offers, events: recorder.events,
            refused: recorder.refusedCalls + recorder.refusedUpdates,
            allocationLatency: Self.latency(recorder.passDurations))
    }

    /// Percentiles (nearest rank) of the pass durations, in milliseconds.
    static func latency(_ seconds: [Double]) -> SimulationReport.Latency {
        var latency = SimulationReport.Latency()
        guard !seconds.isEmpty else { return latency }
        let sorted = seconds.sorted().map { $0 * 1000 }
        func percentile(_ p: Double) -> Double {
            sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
        }
        latency.p50 = percentile(0.5)
        latency.p99 = percentile(0.99)
        latency.max = sorted[sorted.count - 1]
        latency.mean = sorted.reduce(0, +) / Double(sorted.count)
        return latency
    }
}
