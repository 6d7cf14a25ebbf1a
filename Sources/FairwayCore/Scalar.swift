/// A scalar resource quantity kept in fixed point with three decimal places, as Mesos does, so that
/// adding and subtracting fractional cpus never drifts (0.1 + 0.2 is exactly 0.3 here).
public struct Scalar: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Thousandths of a unit.
    public var millis: Int64

    public init(millis: Int64) { self.millis = millis }

    public init(_ value: Double) {
        guard value.isFinite else {
            self.millis = value > 0 ? Int64.max / 2 : 0
            return
        }
        self.millis = Int64((value * 1000).rounded())
    }

    public static let zero = Scalar(millis: 0)

    public var value: Double { Double(millis) / 1000 }

    public static func + (lhs: Scalar, rhs: Scalar) -> Scalar { Scalar(millis: lhs.millis + rhs.millis) }
    public static func - (lhs: Scalar, rhs: Scalar) -> Scalar { Scalar(millis: lhs.millis - rhs.millis) }
    public static func < (lhs: Scalar, rhs: Scalar) -> Bool { lhs.millis < rhs.millis }

    public var description: String {
        millis % 1000 == 0 ? String(millis / 1000) : String(value)
    }
}
