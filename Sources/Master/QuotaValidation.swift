import Allocator
import FairwayProto

/// Mesos's checks on UPDATE_QUOTA: every config must be valid or none is applied, and (unless
/// forced) the guarantees must fit in the cluster.
enum QuotaValidation {
    /// Names that are never scalars, whatever the agents say.
    static let knownNonScalarNames: Set<String> = ["ports"]

    /// Validates every config; on success returns the quotas to set, by role (an empty quota
    /// removes the role's quota). `nonScalarNames` are resource names the cluster has as ranges or
    /// sets: quota only speaks of scalars.
    static func validate(_ configs: [Fairway_V1_Quota_QuotaConfig],
                         nonScalarNames: Set<String>) -> Result<[(role: String, quota: RoleQuota)], PolicyProblem> {
        var seen: Set<String> = []
        var result: [(role: String, quota: RoleQuota)] = []
        for config in configs {
            let role = config.role
            if let problem = problem(withRole: role) {
                return .failure(PolicyProblem(.invalid, "Invalid QuotaConfig: \(problem)"))
            }
            guard seen.insert(role).inserted else {
                return .failure(PolicyProblem(.invalid, "Invalid QuotaConfig: role '\(role)' appears more than once"))
            }
            for (kind, amounts) in [("guarantee", config.guarantees), ("limit", config.limits)] {
                for name in amounts.keys.sorted() {
                    let value = amounts[name]?.value ?? 0
                    if let problem = problem(withName: name, nonScalarNames: nonScalarNames) {
                        return .failure(PolicyProblem(.invalid, "Invalid QuotaConfig for role '\(role)': \(problem)"))
                    }
                    guard value.isFinite, value >= 0 else {
                        return .failure(PolicyProblem(.invalid,
                            "Invalid QuotaConfig for role '\(role)': the \(kind) for '\(name)' must be a finite number >= 0, not \(value)"))
                    }
                }
            }
            for name in config.guarantees.keys.sorted() {
                guard let guarantee = config.guarantees[name]?.value, let limit = config.limits[name]?.value else { continue }
                if guarantee > limit {
                    return .failure(PolicyProblem(.invalid,
                        "Invalid QuotaConfig for role '\(role)': the guarantee for '\(name)' (\(guarantee)) is above its limit (\(limit))"))
                }
            }
            result.append((role, RoleQuota(config: config)))
        }
        return .success(result)
    }

    static func problem(withRole role: String) -> String? {
        if role == "*" { return "quota cannot be set for role '*'" }
        if role.isEmpty { return "'role' must be set" }
        return RoleValidation.problem(withRole: role)
    }

    static func problem(withName name: String, nonScalarNames: Set<String>) -> String? {
        if name.isEmpty { return "a resource name is empty" }
        if name.contains(where: { $0.isWhitespace || ";:()[]{},".contains($0) }) {
            return "'\(name)' is not a valid resource name"
        }
        if knownNonScalarNames.contains(name) || nonScalarNames.contains(name) {
            return "'\(name)' is not a scalar resource; quota applies to scalar resources only"
        }
        return nil
    }

    /// The check `force` skips: the guarantees of all roles together must fit in the cluster's
    /// scalar totals. A parent role's guarantee covers its children's, so each top-level subtree
    /// counts max(own guarantee, sum of its children's) per resource. Returns the problem or nil.
    static func overcommitment(of quotas: [String: RoleQuota], total: [String: Double]) -> String? {
        var effective: [String: [String: Double]] = [:]
        // Deepest roles first, so each child's effective guarantee is final before its parent's.
        let roles = Set(quotas.keys.flatMap(Self.selfAndAncestors))
        for role in roles.sorted(by: { depth($0) > depth($1) || (depth($0) == depth($1) && $0 < $1) }) {
            var own = quotas[role]?.guarantees ?? [:]
            for (name, value) in effective[role] ?? [:] { own[name] = max(own[name] ?? 0, value) }
            effective[role] = own
            if let parent = parent(of: role) {
                for (name, value) in own { effective[parent, default: [:]][name, default: 0] += value }
            }
        }
        var sums: [String: Double] = [:]
        var byRole: [String: [(String, Double)]] = [:]
        for role in roles.sorted() where parent(of: role) == nil {
            for (name, value) in effective[role] ?? [:] where value > 0 {
                sums[name, default: 0] += value
                byRole[name, default: []].append((role, value))
            }
        }
        for name in sums.keys.sorted() {
            let sum = sums[name] ?? 0
            let available = total[name] ?? 0
            // Compare in Mesos's 3-decimal fixed point, so 0.1 + 0.2 fits in 0.3.
            guard (sum * 1000).rounded() > (available * 1000).rounded() else { continue }
            let parts = (byRole[name] ?? []).map { "'\($0.0)' \(format($0.1))" }.joined(separator: ", ")
            return "Total quota guarantees for '\(name)' (\(parts); \(format(sum)) in all) exceed the cluster's total of "
                + "\(format(available)); add agents, lower the guarantees, or set 'force' to apply them anyway"
        }
        return nil
    }

    static func parent(of role: String) -> String? {
        guard let slash = role.lastIndex(of: "/") else { return nil }
        return String(role[..<slash])
    }

    private static func depth(_ role: String) -> Int { role.filter { $0 == "/" }.count }

    private static func selfAndAncestors(_ role: String) -> [String] {
        var result = [role]
        var current = role
        while let parent = parent(of: current) {
            result.append(parent)
            current = parent
        }
        return result
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String((value * 1000).rounded() / 1000)
    }
}
