/// The quantity of one named resource: Mesos's SCALAR, RANGES and SET value types.
public enum ResourceValue: Hashable, Sendable, CustomStringConvertible {
    case scalar(Scalar)
    case ranges(ValueRanges)
    case set(Set<String>)

    public var isEmpty: Bool {
        switch self {
        case .scalar(let scalar): scalar.millis <= 0
        case .ranges(let ranges): ranges.isEmpty
        case .set(let items): items.isEmpty
        }
    }

    /// Sum of two values of the same type; `nil` when the types differ.
    public func adding(_ other: ResourceValue) -> ResourceValue? {
        switch (self, other) {
        case (.scalar(let a), .scalar(let b)): .scalar(a + b)
        case (.ranges(let a), .ranges(let b)): .ranges(a + b)
        case (.set(let a), .set(let b)): .set(a.union(b))
        default: nil
        }
    }

    /// Difference, floored at empty; `nil` when the types differ.
    public func subtracting(_ other: ResourceValue) -> ResourceValue? {
        switch (self, other) {
        case (.scalar(let a), .scalar(let b)): .scalar(a - b > .zero ? a - b : .zero)
        case (.ranges(let a), .ranges(let b)): .ranges(a - b)
        case (.set(let a), .set(let b)): .set(a.subtracting(b))
        default: nil
        }
    }

    public func contains(_ other: ResourceValue) -> Bool {
        switch (self, other) {
        case (.scalar(let a), .scalar(let b)): a >= b
        case (.ranges(let a), .ranges(let b)): a.contains(b)
        case (.set(let a), .set(let b)): b.isSubset(of: a)
        default: false
        }
    }

    public var description: String {
        switch self {
        case .scalar(let scalar): scalar.description
        case .ranges(let ranges): ranges.description
        case .set(let items): "{" + items.sorted().joined(separator: ",") + "}"
        }
    }
}
