/// A resource object of the v0 state endpoints, `{"cpus":2,"mem":2048,"disk":10000,"ports":"[31000-32000]"}`.
public struct ResourceSummary: Decodable, Sendable, Equatable {
    public var values: [String: JSONScalar]

    public init(values: [String: JSONScalar] = [:]) { self.values = values }

    public init(from decoder: Decoder) throws {
        values = (try? decoder.singleValueContainer().decode([String: JSONScalar].self)) ?? [:]
    }

    public func scalar(_ name: String) -> Double { values[name]?.number ?? 0 }
    public var cpus: Double { scalar("cpus") }
    public var mem: Double { scalar("mem") }
    public var disk: Double { scalar("disk") }

    /// `cpus:0.5;mem:128M;ports:[31000-31001]`: the non-zero amounts, cpus and mem first.
    public var compactDescription: String {
        let order = ["cpus", "gpus", "mem", "disk", "ports"]
        let names = values.keys.sorted { lhs, rhs in
            (order.firstIndex(of: lhs) ?? order.count, lhs) < (order.firstIndex(of: rhs) ?? order.count, rhs)
        }
        return names.compactMap { name -> String? in
            guard let value = values[name] else { return nil }
            if let number = value.number {
                guard number != 0 else { return nil }
                let text = name == "mem" || name == "disk" ? QuantityFormat.megabytes(number) : QuantityFormat.number(number)
                return "\(name):\(text)"
            }
            if case .string(let text) = value, text.isEmpty || text == "[]" { return nil }
            return "\(name):\(value)"
        }.joined(separator: ";")
    }
}
