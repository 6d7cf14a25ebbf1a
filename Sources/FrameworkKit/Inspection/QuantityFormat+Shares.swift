import FairwayProto

/// Formatting of shares, gaps, ages and resource vectors for the fairness view.
extension QuantityFormat {
    /// A share of the cluster (0..1) as a percentage with one decimal: `33.3%`, `100.0%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return tenths(fraction * 100) + "%"
    }

    /// The difference of two shares in percentage points, signed: `+12.5pp`, `-3.0pp`, `0.0pp`.
    /// Points rather than percent, because a gap of 5% of a 10% share would be another number.
    public static func points(_ difference: Double) -> String {
        guard difference.isFinite else { return "-" }
        let text = tenths(difference * 100)
        if text == "0.0" { return "0.0pp" }
        return (difference > 0 ? "+" : "") + text + "pp"
    }

    /// An amount of the named resource: megabytes for `mem` and `disk`, plain numbers otherwise.
    public static func amount(_ value: Double, of name: String) -> String {
        guard value != 0 else { return "0" }
        return name == "mem" || name == "disk" ? megabytes(value) : number(value)
    }

    /// A short age: `45s`, `2m 5s`, `1h 3m`, `2d 4h`.
    public static func age(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        let total = Int(seconds.rounded())
        let (days, hours, minutes, rest) = (total / 86400, total % 86400 / 3600, total % 3600 / 60, total % 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return rest > 0 ? "\(minutes)m \(rest)s" : "\(minutes)m" }
        return "\(rest)s"
    }

    /// Resource names in the order tables list them: cpus, gpus, mem, disk, ports, then by name.
    public static func orderedResourceNames<S: Sequence>(_ names: S) -> [String] where S.Element == String {
        let order = ["cpus", "gpus", "mem", "disk", "ports"]
        return Set(names).sorted { lhs, rhs in
            (order.firstIndex(of: lhs) ?? order.count, lhs) < (order.firstIndex(of: rhs) ?? order.count, rhs)
        }
    }

    /// `cpus:2;mem:4G`: the non-zero amounts of a resource vector, in table order.
    public static func quantities(_ quantities: [Fairway_V1_ResourceQuantity]) -> String {
        let values = Dictionary(quantities.map { ($0.name, $0.value) }, uniquingKeysWith: +)
        return orderedResourceNames(values.keys).compactMap { name -> String? in
            guard let value = values[name], value != 0 else { return nil }
            return "\(name):\(amount(value, of: name))"
        }.joined(separator: ";")
    }

    /// One decimal, rounded half away from zero, never `-0.0`.
    static func tenths(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 1e15 else { return String(value) }
        let scaled = Int64((value * 10).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
