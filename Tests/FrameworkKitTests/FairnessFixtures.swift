import FairwayProto
@testable import FrameworkKit

/// Hand-built fairness reports and histories for the table and chart tests.
enum FairnessFixtures {
    static let masterID = "5c1e6f0a-1111-2222-3333-444455556666"

    static func quantities(_ pairs: KeyValuePairs<String, Double>) -> [Fairway_V1_ResourceQuantity] {
        pairs.map { name, value in
            var quantity = Fairway_V1_ResourceQuantity()
            quantity.name = name
            quantity.value = value
            return quantity
        }
    }

    /// Three frameworks: spark (over its ideal, hoarding an offer), web (under it, suppressed) and
    /// a nameless disconnected one in the default role; two roles, one with quota.
    static var report: Fairway_V1_FairnessReport {
        var report = Fairway_V1_FairnessReport()
        report.time = 1_700_000_000

        var spark = Fairway_V1_FairnessReport.Framework()
        spark.frameworkID.value = "\(masterID)-0001"
        spark.name = "spark"
        spark.roles = ["eng/batch"]
        spark.allocated = quantities(["cpus": 4, "mem": 16384])
        spark.offered = quantities(["cpus": 1])
        spark.dominantResource = "mem"
        spark.dominantShare = 2.0 / 3.0
        spark.weight = 2
        spark.weightedShare = 1.0 / 3.0
        spark.demandTasks = 3
        spark.demand = quantities(["cpus": 3, "mem": 3072])
        spark.state = .active
        spark.idealShare = 0.5
        spark.gap = 2.0 / 3.0 - 0.5
        spark.outstandingOffers = 1
        spark.oldestOfferAgeSeconds = 125
        spark.hoarding = true
        spark.unmetDemand = true

        var web = Fairway_V1_FairnessReport.Framework()
        web.frameworkID.value = "\(masterID)-0002"
        web.name = "web"
        web.roles = ["eng/web"]
        web.dominantResource = "cpus"
        web.dominantShare = 0.25
        web.weight = 1
        web.weightedShare = 0.25
        web.state = .suppressed
        web.idealShare = 0.3
        web.gap = -0.05
        web.outstandingOffers = 0
        web.unmetDemand = true

        var stray = Fairway_V1_FairnessReport.Framework()
        stray.frameworkID.value = "fw-3"
        stray.state = .disconnected
        stray.dominantShare = 0

        report.frameworks = [web, stray, spark]

        var eng = Fairway_V1_FairnessReport.Role()
        eng.role = "eng"
        eng.weight = 1
        eng.dominantShare = 0.9
        eng.idealShare = 0.8
        eng.gap = 0.1
        eng.frameworks = [spark.frameworkID.value, web.frameworkID.value]
        eng.quotaGuarantee = quantities(["cpus": 4, "mem": 8192])
        eng.quotaLimit = quantities(["cpus": 8])

        var batch = Fairway_V1_FairnessReport.Role()
        batch.role = "eng/batch"
        batch.parent = "eng"
        batch.weight = 2
        batch.dominantShare = 2.0 / 3.0
        batch.idealShare = 0.5
        batch.gap = 2.0 / 3.0 - 0.5
        batch.frameworks = [spark.frameworkID.value]
        report.roles = [batch, eng]

        var cluster = Fairway_V1_FairnessReport.Cluster()
        cluster.total = quantities(["mem": 24576, "cpus": 12, "gpus": 2])
        cluster.allocated = quantities(["cpus": 6, "mem": 12288])
        cluster.offered = quantities(["cpus": 2])
        cluster.utilisation = quantities(["cpus": 0.5, "mem": 0.5, "gpus": 0])
        cluster.jainIndex = 0.973
        cluster.agents = 3
        cluster.frameworks = 3
        cluster.excludedResources = ["gpus"]
        report.cluster = cluster
        return report
    }

    static func share(_ id: String, _ name: String, _ actual: Double, ideal: Double? = nil) -> Fairway_V1_FairnessSample.Share {
        var share = Fairway_V1_FairnessSample.Share()
        share.frameworkID = id
        share.name = name
        share.dominantShare = actual
        if let ideal { share.idealShare = ideal }
        return share
    }

    static func sample(_ time: Double, _ shares: [Fairway_V1_FairnessSample.Share], jain: Double? = nil) -> Fairway_V1_FairnessSample {
        var sample = Fairway_V1_FairnessSample()
        sample.time = time
        sample.shares = shares
        if let jain { sample.jainIndex = jain }
        return sample
    }

    /// Ten minutes of samples every minute: spark and web throughout, a third framework with a
    /// name that needs escaping from the fourth minute on.
    static var history: Fairway_V1_FairnessHistory {
        var history = Fairway_V1_FairnessHistory()
        let start = 1_700_000_000.0
        history.samples = (0...10).map { minute in
            var shares = [
                share("\(masterID)-0001", "spark", 0.2 + 0.04 * Double(minute), ideal: 0.5),
                share("\(masterID)-0002", "web", 0.5 - 0.02 * Double(minute), ideal: 0.3),
            ]
            if minute >= 4 { shares.append(share("fw-<3>", #"a<b&"c""#, 0.1, ideal: 0.2)) }
            return sample(start + 60 * Double(minute), shares, jain: 0.9 + 0.005 * Double(minute))
        }
        return history
    }
}
