/// A set of unsigned integers stored as sorted, disjoint, non-adjacent closed ranges: the value of
/// a RANGES resource such as `ports:[31000-32000]`.
public struct ValueRanges: Hashable, Sendable, CustomStringConvertible {
    public private(set) var ranges: [ClosedRange<UInt64>]

    public init() { ranges = [] }

    public init<S: Sequence>(_ ranges: S) where S.Element == ClosedRange<UInt64> {
        self.ranges = []
        for range in ranges { insert(range) }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// How many integers the set holds.
    public var count: UInt64 { ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) } }

    public mutating func insert(_ range: ClosedRange<UInt64>) {
        var lower = range.lowerBound
        var upper = range.upperBound
        var kept: [ClosedRange<UInt64>] = []
        kept.reserveCapacity(ranges.count + 1)
        for existing in ranges {
            let touchesBelow = upper < UInt64.max && existing.lowerBound > upper + 1
            let touchesAbove = lower > 0 && existing.upperBound < lower - 1
            if touchesBelow || touchesAbove {
                kept.append(existing)
            } else {
                lower = min(lower, existing.lowerBound)
                upper = max(upper, existing.upperBound)
            }
        }
        kept.append(lower...upper)
        kept.sort { $0.lowerBound < $1.lowerBound }
        ranges = kept
    }

    public mutating func remove(_ range: ClosedRange<UInt64>) {
        var kept: [ClosedRange<UInt64>] = []
        for existing in ranges {
            guard existing.overlaps(range) else {
                kept.append(existing)
                continue
            }
            if existing.lowerBound < range.lowerBound {
                kept.append(existing.lowerBound...(range.lowerBound - 1))
            }
            if existing.upperBound > range.upperBound {
                kept.append((range.upperBound + 1)...existing.upperBound)
            }
        }
        ranges = kept
    }

    public func contains(_ other: ValueRanges) -> Bool {
        other.ranges.allSatisfy { needle in
            ranges.contains { $0.lowerBound <= needle.lowerBound && needle.upperBound <= $0.upperBound }
        }
    }

    public static func + (lhs: ValueRanges, rhs: ValueRanges) -> ValueRanges {
        var result = lhs
        for range in rhs.ranges { result.insert(range) }
        return result
    }

    public static func - (lhs: ValueRanges, rhs: ValueRanges) -> ValueRanges {
        var result = lhs
        for range in rhs.ranges { result.remove(range) }
        return result
    }

    public var description: String {
        "[" + ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ") + "]"
    }
}
