/// Identifies one pool of a resource: its name and, when statically reserved, the role it is
/// reserved for. Unreserved resources (Mesos's role `*`) have `role == nil`.
public struct ResourceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var name: String
    public var role: String?

    public init(name: String, role: String? = nil) {
        self.name = name
        self.role = role == "*" ? nil : role
    }

    public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
        (lhs.name, lhs.role ?? "") < (rhs.name, rhs.role ?? "")
    }

    public var description: String { role.map { "\(name)(\($0))" } ?? name }
}

/// A bag of resources: what an agent has, what a task asks for, what an offer holds.
///
/// A value type with exact arithmetic, so the allocator and the master can add, subtract and
/// compare resources freely without converting to and from protobuf.
public struct Resources: Hashable, Sendable, CustomStringConvertible {
    public private(set) var values: [ResourceKey: ResourceValue]

    public init() { values = [:] }

    public init(_ values: [ResourceKey: ResourceValue]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    /// Unreserved scalar resources, for example `Resources(scalars: ["cpus": 1, "mem": 128])`.
    public init(scalars: [String: Double], role: String? = nil) {
        self.init()
        for (name, value) in scalars { add(ResourceKey(name: name, role: role), .scalar(Scalar(value))) }
    }

    public var isEmpty: Bool { values.isEmpty }

    public subscript(key: ResourceKey) -> ResourceValue? { values[key] }

    /// The scalar quantity of `name` summed over every reservation.
    public func scalar(_ name: String) -> Double { scalarMillis(name).map { Double($0) / 1000 } ?? 0 }

    private func scalarMillis(_ name: String) -> Int64? {
        var total: Int64?
        for (key, value) in values where key.name == name {
            if case .scalar(let scalar) = value { total = (total ?? 0) + scalar.millis }
        }
        return total
    }

    /// Scalar quantities by name, summed over reservations: what DRF shares are computed from.
    public var scalarTotals: [String: Double] {
        var totals: [String: Int64] = [:]
        for (key, value) in values {
            if case .scalar(let scalar) = value { totals[key.name, default: 0] += scalar.millis }
        }
        return totals.mapValues { Double($0) / 1000 }
    }

    public var names: Set<String> { Set(values.keys.map(\.name)) }

    public mutating func add(_ key: ResourceKey, _ value: ResourceValue) {
        guard !value.isEmpty else { return }
        if let existing = values[key], let sum = existing.adding(value) {
            values[key] = sum
        } else if values[key] == nil {
            values[key] = value
        }
    }

    public mutating func subtract(_ key: ResourceKey, _ value: ResourceValue) {
        guard let existing = values[key], let difference = existing.subtracting(value) else { return }
        values[key] = difference.isEmpty ? nil : difference
    }

    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        var result = lhs
        result += rhs
        return result
    }

    public static func += (lhs: inout Resources, rhs: Resources) {
        // Adding to nothing is a copy (values are never stored empty, so none needs dropping).
        if lhs.values.isEmpty {
            lhs = rhs
            return
        }
        for (key, value) in rhs.values { lhs.add(key, value) }
    }

    /// Difference floored at zero for every pool.
    public static func - (lhs: Resources, rhs: Resources) -> Resources {
        var result = lhs
        result -= rhs
        return result
    }

    public static func -= (lhs: inout Resources, rhs: Resources) {
        for (key, value) in rhs.values { lhs.subtract(key, value) }
    }

    /// True when every pool of `other` fits in this bag.
    public func contains(_ other: Resources) -> Bool {
        other.values.allSatisfy { key, value in values[key]?.contains(value) ?? false }
    }

    /// The pools usable by `role`: unreserved ones and those reserved for it or for one of its
    /// ancestors (a reservation for `eng` serves `eng/batch`, as in Mesos).
    public func allocatable(to role: String) -> Resources {
        // Most agents have no reservations: then everything is allocatable, with no copy.
        guard values.keys.contains(where: { $0.role != nil }) else { return self }
        return Resources(values.filter { entry in
            guard let reserved = entry.key.role else { return true }
            return reserved == role || role.hasPrefix(reserved + "/")
        })
    }

    public var unreserved: Resources { Resources(values.filter { $0.key.role == nil }) }

    public func filter(_ isIncluded: (ResourceKey, ResourceValue) -> Bool) -> Resources {
        Resources(values.filter { isIncluded($0.key, $0.value) })
    }

    /// Mesos text form, pools sorted by name: `cpus:2;mem:1024;ports:[31000-31999]`.
    public var description: String {
        values.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ";")
    }
}
