import FairwayProto
import Foundation
import Logging

/// Records the fairness history: every `interval` seconds, a `FairnessSample` of the published
/// state goes into the registry, and samples older than `retention` are deleted. Runs on its own
/// task, so analysing a large cluster never holds up the master actor.
struct FairnessSampler: Sendable {
    let master: MasterService
    let registry: Registry
    let interval: Double
    let retention: Double
    let logger: Logger

    /// Starts sampling; cancel the task to stop.
    func start() -> Task<Void, Never> {
        Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { break }
                await sampleOnce(now: Date().timeIntervalSince1970)
            }
        }
    }

    /// Takes one sample of the master's state now; nothing before the master has started.
    @discardableResult
    func sampleOnce(now: Double) async -> Fairway_V1_FairnessSample? {
        guard let master = await master.published() else { return nil }
        let builder = FairnessReportBuilder(state: master.state, offerTimeout: master.offerTimeout)
        let sample = FairnessReportBuilder.sample(of: builder.report(state: master.state, now: now))
        do {
            try registry.appendFairnessSample(sample, retention: retention)
        } catch {
            logger.error("could not store a fairness sample: \(error)")
        }
        return sample
    }
}
