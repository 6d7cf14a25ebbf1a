import FairwayProto
import Foundation

/// The fairness report as the tables `fairway fairness` prints: one row per framework, one per
/// role, then the cluster's resources and its fairness index.
///
/// ```
/// ID              NAME   ROLE  STATE   DOMINANT  SHARE  WEIGHT  IDEAL      GAP  DEMAND  OFFERS
/// 5c1e6f0a…-0001  spark  eng   active  mem       66.7%       1  50.0%  +16.7pp       3      1!
/// ```
///
/// Shares are percentages of the cluster; GAP is actual minus ideal in percentage points
/// (positive: holds more than its fair share); OFFERS is the number of outstanding offers, with
/// `!` when the framework sits on them (the master's hoarding flag).
public struct FairnessTable: Sendable {
    public var report: Fairway_V1_FairnessReport

    public init(report: Fairway_V1_FairnessReport) {
        self.report = report
    }

    /// The columns of the framework table, in order.
    public static let frameworkHeaders = ["ID", "NAME", "ROLE", "STATE", "DOMINANT", "SHARE", "WEIGHT", "IDEAL", "GAP", "DEMAND", "OFFERS"]

    /// Frameworks ordered by role, then name, then id, so rows stay put between refreshes.
    public var orderedFrameworks: [Fairway_V1_FairnessReport.Framework] {
        report.frameworks.sorted { lhs, rhs in
            (lhs.roles.joined(separator: ","), lhs.name, lhs.frameworkID.value) < (rhs.roles.joined(separator: ","), rhs.name, rhs.frameworkID.value)
        }
    }

    /// One row per framework.
    public var frameworks: TextTable {
        var table = TextTable(headers: Self.frameworkHeaders, rightAligned: [5, 6, 7, 8, 9, 10])
        for framework in orderedFrameworks {
            table.append([
                Self.shortID(framework.frameworkID.value),
                framework.name.isEmpty ? "-" : framework.name,
                framework.roles.isEmpty ? "*" : framework.roles.joined(separator: ","),
                Self.stateName(framework.state),
                framework.dominantResource.isEmpty ? "-" : framework.dominantResource,
                QuantityFormat.percent(framework.dominantShare),
                framework.hasWeight ? QuantityFormat.number(framework.weight) : "1",
                framework.hasIdealShare ? QuantityFormat.percent(framework.idealShare) : "-",
                framework.hasGap || framework.hasIdealShare ? QuantityFormat.points(gap(of: framework)) : "-",
                framework.hasDemandTasks || !framework.demand.isEmpty ? String(framework.demandTasks) : "-",
                String(framework.outstandingOffers) + (framework.hoarding ? "!" : " "),
            ])
        }
        return table
    }

    /// One row per role; a role's figures cover its subtree.
    public var roles: TextTable {
        var table = TextTable(headers: ["ROLE", "WEIGHT", "SHARE", "IDEAL", "GAP", "FRAMEWORKS", "QUOTA GUARANTEE/LIMIT"],
                              rightAligned: [1, 2, 3, 4, 5])
        for role in report.roles.sorted(by: { $0.role < $1.role }) {
            table.append([
                role.role,
                role.hasWeight ? QuantityFormat.number(role.weight) : "1",
                QuantityFormat.percent(role.dominantShare),
                role.hasIdealShare ? QuantityFormat.percent(role.idealShare) : "-",
                role.hasGap || role.hasIdealShare ? QuantityFormat.points(role.hasGap ? role.gap : role.dominantShare - role.idealShare) : "-",
                String(role.frameworks.count),
                Self.quota(guarantee: role.quotaGuarantee, limit: role.quotaLimit),
            ])
        }
        return table
    }

    /// One row per resource of the cluster: total, allocated, offered, utilisation.
    public var resources: TextTable {
        let cluster = report.cluster
        let total = Self.values(cluster.total)
        let allocated = Self.values(cluster.allocated)
        let offered = Self.values(cluster.offered)
        let utilisation = Self.values(cluster.utilisation)
        var table = TextTable(headers: ["RESOURCE", "TOTAL", "ALLOCATED", "OFFERED", "UTILISATION"], rightAligned: [1, 2, 3, 4])
        for name in QuantityFormat.orderedResourceNames(Array(total.keys) + Array(allocated.keys) + Array(offered.keys)) {
            let used = utilisation[name] ?? (total[name].map { $0 > 0 ? (allocated[name] ?? 0) / $0 : 0 } ?? 0)
            table.append([
                name + (cluster.excludedResources.contains(name) ? " (not shared fairly)" : ""),
                QuantityFormat.amount(total[name] ?? 0, of: name),
                QuantityFormat.amount(allocated[name] ?? 0, of: name),
                QuantityFormat.amount(offered[name] ?? 0, of: name),
                QuantityFormat.percent(used),
            ])
        }
        return table
    }

    /// `2 agents, 3 frameworks; Jain's fairness index 0.973 over 2 frameworks with unmet demand`.
    public var clusterSummary: String {
        let cluster = report.cluster
        let agents = Int(cluster.agents)
        let frameworks = cluster.hasFrameworks ? Int(cluster.frameworks) : report.frameworks.count
        let waiting = report.frameworks.filter(\.unmetDemand).count
        var text = "\(Self.plural(agents, "agent")), \(Self.plural(frameworks, "framework"))"
        if cluster.hasJainIndex {
            let index = QuantityFormat.number(cluster.jainIndex)
            text += waiting < 2
                ? "; Jain's fairness index \(index) (fewer than two frameworks with unmet demand)"
                : "; Jain's fairness index \(index) over \(waiting) frameworks with unmet demand"
        }
        return text
    }

    /// A line per hoarding framework, saying how long it has sat on an offer.
    public var hoardingNotes: [String] {
        orderedFrameworks.filter(\.hoarding).map { framework in
            let who = framework.name.isEmpty ? framework.frameworkID.value : "\(framework.name) (\(Self.shortID(framework.frameworkID.value)))"
            let offers = Self.plural(Int(framework.outstandingOffers), "offer")
            let age = framework.hasOldestOfferAgeSeconds ? " for \(QuantityFormat.age(framework.oldestOfferAgeSeconds))" : ""
            return "! \(who) holds \(offers), the oldest unanswered\(age)"
        }
    }

    /// The whole view: frameworks (with hoarding notes), roles, and the cluster.
    public func render() -> String {
        var sections: [String] = []
        if report.frameworks.isEmpty {
            sections.append("no frameworks are registered with the master")
        } else {
            sections.append(([frameworks.render()] + hoardingNotes).joined(separator: "\n"))
        }
        if !report.roles.isEmpty { sections.append(roles.render()) }
        let resources = self.resources
        sections.append(resources.rows.isEmpty ? clusterSummary : resources.render() + "\n" + clusterSummary)
        return sections.joined(separator: "\n\n")
    }

    /// One line on a history: `history: 720 samples from 22:40 to 23:40; Jain's index min 0.81,
    /// mean 0.95, latest 0.97`.
    public static func historySummary(_ history: Fairway_V1_FairnessHistory, timeZone: TimeZone = .current) -> String {
        let samples = history.samples.sorted { $0.time < $1.time }
        guard let first = samples.first, let last = samples.last else { return "history: no samples in that range" }
        let seconds = last.time - first.time < 3600
        let clock = { (time: Double) in SharesChart.clockLabel(time, seconds: seconds, timeZone: timeZone) }
        var text = "history: \(plural(samples.count, "sample")) from \(clock(first.time)) to \(clock(last.time))"
        let indexes = samples.filter(\.hasJainIndex).map(\.jainIndex)
        if let lowest = indexes.min(), let latest = indexes.last {
            let mean = indexes.reduce(0, +) / Double(indexes.count)
            text += "; Jain's index min \(QuantityFormat.number(lowest)), mean \(QuantityFormat.number(mean)), latest \(QuantityFormat.number(latest))"
        }
        return text
    }

    /// A framework id short enough for a table: `<master id>-0001` becomes `5c1e6f0a…-0001`, the
    /// start of the master's id and the framework's number. Ids without a long prefix stay whole.
    public static func shortID(_ id: String) -> String {
        guard let dash = id.lastIndex(of: "-") else { return id }
        let head = id[..<dash]
        guard head.count > 12 else { return id }
        return String(head.prefix(8)) + "…" + String(id[dash...])
    }

    /// `active`, `suppressed`, `disconnected`.
    public static func stateName(_ state: Fairway_V1_FairnessReport.State) -> String {
        switch state {
        case .active: "active"
        case .suppressed: "suppressed"
        case .disconnected: "disconnected"
        case .unknown: "-"
        }
    }

    /// `cpus:4/8;mem:8G/-`: guarantee/limit per resource, `-` where one is not set.
    static func quota(guarantee: [Fairway_V1_ResourceQuantity], limit: [Fairway_V1_ResourceQuantity]) -> String {
        let guarantees = values(guarantee)
        let limits = values(limit)
        let names = QuantityFormat.orderedResourceNames(Array(guarantees.keys) + Array(limits.keys))
        guard !names.isEmpty else { return "-" }
        return names.map { name in
            let low = guarantees[name].map { QuantityFormat.amount($0, of: name) } ?? "-"
            let high = limits[name].map { QuantityFormat.amount($0, of: name) } ?? "-"
            return "\(name):\(low)/\(high)"
        }.joined(separator: ";")
    }

    private func gap(of framework: Fairway_V1_FairnessReport.Framework) -> Double {
        framework.hasGap ? framework.gap : framework.dominantShare - framework.idealShare
    }

    static func values(_ quantities: [Fairway_V1_ResourceQuantity]) -> [String: Double] {
        Dictionary(quantities.map { ($0.name, $0.value) }, uniquingKeysWith: +)
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
