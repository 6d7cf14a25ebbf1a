import FairwayCore

/// Scalar amounts by resource name (summed over reservations), in Mesos's fixed-point thousandths.
///
/// This is what DRF shares are computed from. It is kept incrementally per role and per framework
/// so that a share can be recomputed after an offer without walking every agent. Clusters have a
/// handful of resource names, so the amounts live in a small array sorted by name: adding two
/// quantities is one merge, with no hashing on the allocator's hot path.
struct ScalarQuantities: Sendable, Equatable {
    private struct Amount: Sendable, Equatable {
        var name: String
        var millis: Int64
    }

    /// Positive amounts only, sorted by name.
    private var amountsByName: [Amount] = []

    init() {}

    init(_ resources: Resources) {
        amountsByName.reserveCapacity(resources.values.count)
        for (key, value) in resources.values {
            if case .scalar(let scalar) = value, scalar.millis > 0 { add(key.name, scalar.millis) }
        }
    }

    var isEmpty: Bool { amountsByName.isEmpty }

    /// Plain numbers by name, for views outside the allocator.
    var amounts: [String: Double] {
        Dictionary(uniqueKeysWithValues: amountsByName.map { ($0.name, Scalar(millis: $0.millis).value) })
    }

    subscript(name: String) -> Int64 {
        for amount in amountsByName where amount.name == name { return amount.millis }
        return 0
    }

    /// Adds `millis` (which may be negative) to `name`, dropping the name when it reaches zero.
    private mutating func add(_ name: String, _ millis: Int64) {
        var index = 0
        while index < amountsByName.count, amountsByName[index].name < name { index += 1 }
        if index < amountsByName.count, amountsByName[index].name == name {
            let sum = amountsByName[index].millis + millis
            if sum > 0 { amountsByName[index].millis = sum } else { amountsByName.remove(at: index) }
        } else if millis > 0 {
            amountsByName.insert(Amount(name: name, millis: millis), at: index)
        }
    }

    static func += (lhs: inout ScalarQuantities, rhs: ScalarQuantities) {
        if lhs.amountsByName.isEmpty {
            lhs = rhs
            return
        }
        for amount in rhs.amountsByName { lhs.add(amount.name, amount.millis) }
    }

    /// Difference floored at zero; names that reach zero are dropped so `isEmpty` stays meaningful.
    static func -= (lhs: inout ScalarQuantities, rhs: ScalarQuantities) {
        for amount in rhs.amountsByName { lhs.add(amount.name, -amount.millis) }
    }

    /// Whether every quantity in `required` (plain numbers, e.g. `["cpus": 0.01]`) is present.
    func covers(_ required: [String: Double]) -> Bool {
        required.allSatisfy { name, amount in self[name] >= Scalar(amount).millis }
    }

    /// Whether every amount of `other` is present here.
    func covers(_ other: ScalarQuantities) -> Bool {
        other.amountsByName.allSatisfy { self[$0.name] >= $0.millis }
    }

    /// Dominant share: the largest fraction of the cluster total this holds of any resource that
    /// the cluster has and that is not excluded from fairness.
    func dominantShare(of total: ScalarQuantities, excluding excluded: Set<String>) -> Double {
        var share = 0.0
        for amount in amountsByName where excluded.isEmpty || !excluded.contains(amount.name) {
            let available = total[amount.name]
            guard available > 0 else { continue }
            share = max(share, Double(amount.millis) / Double(available))
        }
        return share
    }
}
