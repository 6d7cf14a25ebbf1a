import Allocator
import FairwayProto

/// Builds the fairness view (`Fairway_V1_FairnessReport`) from the allocator's analysis and the
/// master's framework records: names, states, outstanding offers and their age, hoarding,
/// rescinded offers. Pure: the time comes in as `now`.
public struct FairnessReportBuilder: Sendable {
    public let snapshot: FairnessSnapshot
    public let analysis: FairnessAnalysis
    /// An offer outstanding longer than this marks its framework as hoarding.
    public let hoardingThreshold: Double

    /// Hoarding = an offer outstanding longer than max(10 s, offer timeout / 2): long enough that a
    /// framework thinking about an offer is not flagged, short enough to be seen well before the
    /// offer timeout takes the offer back.
    public static func hoardingThreshold(offerTimeout: Double?) -> Double {
        max(10, (offerTimeout ?? 0) / 2)
    }

    public init(state: MasterState, offerTimeout: Double?) {
        let snapshot = state.allocator.fairnessSnapshot()
        self.init(snapshot: snapshot, analysis: FairnessAnalysis(snapshot), offerTimeout: offerTimeout)
    }

    public init(snapshot: FairnessSnapshot, analysis: FairnessAnalysis, offerTimeout: Double?) {
        self.snapshot = snapshot
        self.analysis = analysis
        hoardingThreshold = Self.hoardingThreshold(offerTimeout: offerTimeout)
    }

    public func report(state: MasterState, now: Double) -> Fairway_V1_FairnessReport {
        var report = Fairway_V1_FairnessReport()
        report.time = now
        report.cluster = cluster()
        report.roles = analysis.roles.map(role)
        let snapshots = Dictionary(snapshot.frameworks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        report.frameworks = analysis.frameworks.map { share in
            framework(share, snapshot: snapshots[share.id], state: state, now: now)
        }
        return report
    }

    /// One point of the history: every framework's dominant and ideal share, Jain's index and the
    /// utilisation.
    public static func sample(of report: Fairway_V1_FairnessReport) -> Fairway_V1_FairnessSample {
        var sample = Fairway_V1_FairnessSample()
        sample.time = report.time
        sample.jainIndex = report.cluster.jainIndex
        sample.utilisation = report.cluster.utilisation
        sample.shares = report.frameworks.map { framework in
            var share = Fairway_V1_FairnessSample.Share()
            share.frameworkID = framework.frameworkID.value
            share.name = framework.name
            share.dominantShare = framework.dominantShare
            share.idealShare = framework.idealShare
            return share
        }
        return sample
    }

    private func cluster() -> Fairway_V1_FairnessReport.Cluster {
        var cluster = Fairway_V1_FairnessReport.Cluster()
        cluster.total = Self.quantities(analysis.total)
        cluster.allocated = Self.quantities(analysis.allocated)
        cluster.offered = Self.quantities(analysis.offered)
        cluster.utilisation = Self.quantities(analysis.utilisation)
        cluster.jainIndex = analysis.jainIndex
        cluster.agents = UInt32(clamping: snapshot.agentCount)
        cluster.frameworks = UInt32(clamping: analysis.frameworks.count)
        cluster.excludedResources = snapshot.excluded.sorted()
        return cluster
    }

    private func role(_ role: FairnessAnalysis.RoleShare) -> Fairway_V1_FairnessReport.Role {
        var entry = Fairway_V1_FairnessReport.Role()
        let share = role.share
        entry.role = share.id
        if let parent = role.parent { entry.parent = parent }
        entry.allocated = Self.quantities(share.used)
        entry.offered = Self.quantities(share.offered)
        if let resource = share.dominantResource { entry.dominantResource = resource }
        entry.dominantShare = share.dominantShare
        entry.weight = share.weight
        entry.weightedShare = share.weightedShare
        entry.demand = Self.quantities(share.demand)
        entry.idealShare = share.idealShare
        entry.gap = share.gap
        if let quota = role.quota {
            entry.quotaGuarantee = Self.quantities(quota.guarantees)
            entry.quotaLimit = Self.quantities(quota.limits)
        }
        entry.frameworks = role.frameworks
        return entry
    }

    private func framework(_ share: FairnessAnalysis.Share, snapshot: FairnessSnapshot.Framework?, state: MasterState,
                           now: Double) -> Fairway_V1_FairnessReport.Framework {
        var entry = Fairway_V1_FairnessReport.Framework()
        entry.frameworkID.value = share.id
        let record = state.frameworks[share.id]
        if let record { entry.name = record.info.name }
        entry.roles = record?.roles ?? snapshot?.roles ?? []
        entry.allocated = Self.quantities(share.used)
        entry.offered = Self.quantities(share.offered)
        if let resource = share.dominantResource { entry.dominantResource = resource }
        entry.dominantShare = share.dominantShare
        entry.weight = share.weight
        entry.weightedShare = share.weightedShare
        entry.demand = Self.quantities(share.demand)
        entry.demandTasks = UInt32(clamping: snapshot?.demandTasks ?? 0)
        entry.state = Self.state(record: record, snapshot: snapshot)
        entry.idealShare = share.idealShare
        entry.gap = share.gap
        entry.outstandingOffers = UInt32(clamping: record?.offerIDs.count ?? 0)
        let age = state.oldestOfferAge(ofFramework: share.id, now: now)
        entry.oldestOfferAgeSeconds = age ?? 0
        entry.hoarding = (age ?? 0) > hoardingThreshold
        entry.unmetDemand = share.unmetDemand
        entry.offersRescinded = state.counters.offersByFramework[share.id]?.rescinded ?? 0
        return entry
    }

    static func state(record: FrameworkRecord?, snapshot: FairnessSnapshot.Framework?) -> Fairway_V1_FairnessReport.State {
        guard let record, record.connected else { return .disconnected }
        return snapshot?.suppressed == true ? .suppressed : .active
    }

    /// Quantities sorted by name, so reports compare and diff cleanly.
    static func quantities(_ amounts: [String: Double]) -> [Fairway_V1_ResourceQuantity] {
        amounts.keys.sorted().compactMap { name in
            guard let value = amounts[name] else { return nil }
            var quantity = Fairway_V1_ResourceQuantity()
            quantity.name = name
            quantity.value = value
            return quantity
        }
    }
}
