/// Exponential backoff with jitter for reconnection attempts.
///
/// Each delay is drawn from the upper half of the current step, so many frameworks restarted at
/// once do not reconnect in lockstep; the step doubles after every attempt up to `maximum`.
struct Backoff: Sendable, Equatable {
    let initial: Double
    let maximum: Double
    private(set) var step: Double

    init(initial: Double, maximum: Double) {
        self.initial = max(0, min(initial, maximum))
        self.maximum = max(0, maximum)
        self.step = self.initial
    }

    /// The next delay in seconds; `random` is uniform in [0, 1).
    mutating func next(random: Double) -> Double {
        let delay = step * (0.5 + 0.5 * min(max(random, 0), 1))
        step = min(max(step * 2, initial), maximum)
        return delay
    }

    /// Back to the first step, after a successful subscription.
    mutating func reset() { step = initial }
}
