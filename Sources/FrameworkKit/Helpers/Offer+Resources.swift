import FairwayCore
import FairwayProto

extension Fairway_V1_Offer {
    /// The offer's resources as a `Resources` bag, for arithmetic (what fits, what is left).
    /// Empty if the master sent a malformed list.
    public var availableResources: Resources {
        (try? Resources(proto: resources)) ?? Resources()
    }

    /// The offer's attributes as `name: value` text, for placement decisions.
    public var attributeValues: [String: String] {
        Dictionary(attributes.map { ($0.name, Attributes.text(of: $0)) }, uniquingKeysWith: { _, last in last })
    }
}

extension Resources {
    /// How many copies of `unit` fit in these resources, at most `limit`: the number of identical
    /// tasks an offer can hold. An empty `unit` fits `limit` times.
    public func fittingCount(of unit: Resources, limit: Int = 1_000_000) -> Int {
        guard !unit.isEmpty else { return limit }
        var remaining = self
        var count = 0
        while count < limit && remaining.contains(unit) {
            remaining -= unit
            count += 1
        }
        return count
    }
}
