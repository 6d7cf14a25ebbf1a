import FairwayCore

/// Scalar amounts by resource name (summed over reservations), in Mesos's fixed-point thousandths.
///
/// This is what DRF shares are computed from. It is kept incrementally per role and per framework
/// so that a share can be recomputed after an offer without walking every agent.
struct ScalarQuantities: Sendable, Equatable {
    private(set) var millis: [String: Int64] = [:]

    init() {}

    init(_ resources: Resources) {
        for (key, value) in resources.values {
            if case .scalar(let scalar) = value, scalar.millis > 0 { millis[key.name, default: 0] += scalar.millis }
        }
    }

    var isEmpty: Bool { millis.isEmpty }

    /// Plain numbers by name, for views outside the allocator.
    var amounts: [String: Double] { millis.mapValues { Scalar(millis: $0).value } }

    subscript(name: String) -> Int64 { millis[name] ?? 0 }

    static func += (lhs: inout ScalarQuantities, rhs: ScalarQuantities) {
        for (name, amount) in rhs.millis { lhs.millis[name, default: 0] += amount }
    }

    /// Difference floored at zero; names that reach zero are dropped so `isEmpty` stays meaningful.
    static func -= (lhs: inout ScalarQuantities, rhs: ScalarQuantities) {
        for (name, amount) in rhs.millis {
            let left = (lhs.millis[name] ?? 0) - amount
            lhs.millis[name] = left > 0 ? left : nil
        }
    }

    /// Whether every quantity in `required` (plain numbers, e.g. `["cpus": 0.01]`) is present.
    func covers(_ required: [String: Double]) -> Bool {
        required.allSatisfy { name, amount in self[name] >= Scalar(amount).millis }
    }

    /// Whether every amount of `other` is present here.
    func covers(_ other: ScalarQuantities) -> Bool {
        other.millis.allSatisfy { name, amount in self[name] >= amount }
    }

    /// Dominant share: the largest fraction of the cluster total this holds of any resource that
    /// the cluster has and that is not excluded from fairness.
    func dominantShare(of total: ScalarQuantities, excluding excluded: Set<String>) -> Double {
        var share = 0.0
        for (name, amount) in millis where !excluded.contains(name) {
            let available = total[name]
            guard available > 0 else { continue }
            share = max(share, Double(amount) / Double(available))
        }
        return share
    }
}
