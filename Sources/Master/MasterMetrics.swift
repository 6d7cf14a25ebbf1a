import Allocator

/// `GET /metrics`: the master's figures in Prometheus text format. Shares and allocations per
/// framework and role, cluster totals, Jain's index, offer counters, allocation passes and their
/// duration, and the sizes of the cluster. Pure: rendered from a published state.
public enum MasterMetrics {
    public static let contentType = PrometheusText.contentType

    public static func render(_ published: PublishedMaster, analysis: FairnessAnalysis) -> String {
        let state = published.state
        var out = PrometheusText()
        let frameworks = analysis.frameworks
        func labels(_ share: FairnessAnalysis.Share) -> [(String, String)] {
            let record = state.frameworks[share.id]
            return [("framework_id", share.id), ("name", record?.info.name ?? ""), ("role", record?.roles.first ?? "*")]
        }

        out.family("fairway_framework_dominant_share", .gauge,
                   help: "A framework's dominant share: the largest fraction of any cluster resource it holds (tasks and offers).")
        for share in frameworks { out.sample("fairway_framework_dominant_share", labels(share), share.dominantShare) }
        out.family("fairway_framework_ideal_share", .gauge,
                   help: "The dominant share weighted DRF over everyone's declared demand would give the framework.")
        for share in frameworks { out.sample("fairway_framework_ideal_share", labels(share), share.idealShare) }
        out.family("fairway_framework_allocated", .gauge, help: "Resources held by a framework's tasks, by resource.")
        for share in frameworks {
            for (name, value) in sorted(share.used) {
                out.sample("fairway_framework_allocated", [("framework_id", share.id), ("resource", name)], value)
            }
        }
        out.family("fairway_framework_offered", .gauge, help: "Resources in a framework's outstanding offers, by resource.")
        for share in frameworks {
            for (name, value) in sorted(share.offered) {
                out.sample("fairway_framework_offered", [("framework_id", share.id), ("resource", name)], value)
            }
        }

        out.family("fairway_role_dominant_share", .gauge, help: "A role's dominant share, over its whole subtree of roles.")
        for role in analysis.roles { out.sample("fairway_role_dominant_share", [("role", role.share.id)], role.share.dominantShare) }
        out.family("fairway_role_allocated", .gauge, help: "Resources held by the tasks of a role's subtree, by resource.")
        for role in analysis.roles {
            for (name, value) in sorted(role.share.used) {
                out.sample("fairway_role_allocated", [("role", role.share.id), ("resource", name)], value)
            }
        }

        out.family("fairway_cluster_total", .gauge, help: "Scalar resources of all registered agents.")
        for (name, value) in sorted(analysis.total) { out.sample("fairway_cluster_total", [("resource", name)], value) }
        out.family("fairway_cluster_allocated", .gauge, help: "Scalar resources held by tasks, cluster-wide.")
        for (name, value) in sorted(analysis.allocated) { out.sample("fairway_cluster_allocated", [("resource", name)], value) }
        out.family("fairway_jain_index", .gauge,
                   help: "Jain's fairness index over the weighted dominant shares of frameworks with unmet demand (1 = even).")
        out.sample("fairway_jain_index", [], analysis.jainIndex)

        let counters = state.counters
        let offerFamilies: [(String, String, KeyPath<OfferCounters, UInt64>)] = [
            ("sent", "Offers sent to frameworks.", \.sent),
            ("declined", "Offers declined by frameworks.", \.declined),
            ("accepted", "Offers accepted by frameworks.", \.accepted),
            ("rescinded", "Offers rescinded (offer timeout, agent gone).", \.rescinded),
        ]
        for (kind, help, path) in offerFamilies {
            out.family("fairway_offers_\(kind)_total", .counter, help: help)
            out.sample("fairway_offers_\(kind)_total", [], counters.offers[keyPath: path])
        }
        for (kind, help, path) in offerFamilies {
            let name = "fairway_framework_offers_\(kind)_total"
            out.family(name, .counter, help: help.dropLast() + ", per framework.")
            for frameworkID in counters.offersByFramework.keys.sorted() {
                out.sample(name, [("framework_id", frameworkID)], counters.offersByFramework[frameworkID]?[keyPath: path] ?? 0)
            }
        }
        out.family("fairway_allocation_runs_total", .counter, help: "Allocation passes run.")
        out.sample("fairway_allocation_runs_total", [], counters.allocationRuns)

        let histogram = published.allocationLatency
        out.family("fairway_allocation_duration_seconds", .histogram, help: "Time one allocation pass took.")
        for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
            out.sample("fairway_allocation_duration_seconds_bucket", [("le", PrometheusText.format(bound))], count)
        }
        out.sample("fairway_allocation_duration_seconds_bucket", [("le", "+Inf")], histogram.count)
        out.sample("fairway_allocation_duration_seconds_sum", [], histogram.sum)
        out.sample("fairway_allocation_duration_seconds_count", [], histogram.count)

        out.family("fairway_agents", .gauge, help: "Agents registered and connected.")
        out.sample("fairway_agents", [], Double(state.agents.values.filter(\.connected).count))
        out.family("fairway_frameworks", .gauge, help: "Frameworks known to the master (connected or within their failover timeout).")
        out.sample("fairway_frameworks", [], Double(state.frameworks.count))
        out.family("fairway_offers_outstanding", .gauge, help: "Offers sent and not yet answered.")
        out.sample("fairway_offers_outstanding", [], Double(state.offers.count))
        return out.text
    }

    private static func sorted(_ amounts: [String: Double]) -> [(String, Double)] {
        amounts.sorted { $0.key < $1.key }
    }
}
