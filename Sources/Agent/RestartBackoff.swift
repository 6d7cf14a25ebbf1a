/// The pause before a container is started again: 1 s after its first exit, doubling with every
/// further exit up to 60 s, and back to 1 s once the container had run for 10 minutes without
/// ending (it was healthy for a while, so its next crash is not part of a crash loop).
public struct RestartBackoff: Sendable, Equatable {
    public static let initialDelay = 1.0
    public static let maximumDelay = 60.0
    public static let resetAfter = 600.0

    /// The delay the next restart waits, unless the run before it lasted `resetAfter`.
    public private(set) var nextDelay: Double

    public init(nextDelay: Double = RestartBackoff.initialDelay) {
        self.nextDelay = min(max(nextDelay, Self.initialDelay), Self.maximumDelay)
    }

    /// The delay before restarting a container whose run lasted `ranFor` seconds; the one after
    /// it doubles.
    public mutating func delay(afterRunOf ranFor: Double) -> Double {
        if ranFor >= Self.resetAfter { nextDelay = Self.initialDelay }
        let delay = nextDelay
        nextDelay = min(nextDelay * 2, Self.maximumDelay)
        return delay
    }
}
