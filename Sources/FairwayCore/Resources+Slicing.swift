extension Resources {
    /// A part of these resources as large as `shape` in quantity: scalars by amount (the role's
    /// reservations before unreserved resources), ranges by how many values (lowest first), sets by
    /// how many items. Nil when there is not enough of something. Used to size an offer to one
    /// declared task instead of a whole agent, and by frameworks to carve a task out of an offer.
    public func slice(matching shape: Resources) -> Resources? {
        var slice = Resources()
        var wanted: [String: ResourceValue] = [:]
        for (key, value) in shape.values {
            wanted[key.name] = wanted[key.name].flatMap { $0.adding(value) } ?? value
        }
        for (name, value) in wanted {
            // Reserved keys (role set) sort after nil; take them first.
            let keys = values.keys.filter { $0.name == name }.sorted { ($0.role != nil ? 0 : 1, $0) < ($1.role != nil ? 0 : 1, $1) }
            switch value {
            case .scalar(let amount):
                var missing = amount.millis
                for key in keys where missing > 0 {
                    guard case .scalar(let have) = values[key] else { continue }
                    let take = Swift.min(have.millis, missing)
                    slice.add(key, .scalar(Scalar(millis: take)))
                    missing -= take
                }
                guard missing <= 0 else { return nil }
            case .ranges(let ranges):
                var missing = ranges.count
                for key in keys where missing > 0 {
                    guard case .ranges(let have) = values[key] else { continue }
                    var taken = ValueRanges()
                    for range in have.ranges where missing > 0 {
                        let length = Swift.min(range.upperBound - range.lowerBound + 1, missing)
                        taken.insert(range.lowerBound...(range.lowerBound + length - 1))
                        missing -= length
                    }
                    slice.add(key, .ranges(taken))
                }
                guard missing == 0 else { return nil }
            case .set(let items):
                var missing = items.count
                for key in keys where missing > 0 {
                    guard case .set(let have) = values[key] else { continue }
                    let taken = Set(have.sorted().prefix(missing))
                    slice.add(key, .set(taken))
                    missing -= taken.count
                }
                guard missing == 0 else { return nil }
            }
        }
        return slice
    }
}
