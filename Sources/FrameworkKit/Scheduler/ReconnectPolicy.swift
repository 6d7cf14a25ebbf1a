/// How one subscription attempt ended, as the connection loop observed it.
enum SubscriptionEnd: Sendable, Equatable {
    /// The caller asked to stop (or the framework was torn down).
    case stopped
    /// The master sent an ERROR event; it has already been delivered.
    case errorEvent
    /// A non-200 answer to SUBSCRIBE other than a redirect or 503.
    case rejected(status: Int, message: String)
    /// 307 from a master that is not the leader, with its `Location` header.
    case redirected(location: String?)
    /// 503: no leader yet, or the leader is still recovering.
    case unavailable(message: String)
    /// No HTTP answer at all (connection refused, reset, timed out).
    case unreachable(message: String)
    /// The event stream ended or broke after the master had answered 200.
    case closed(message: String)
    /// Nothing arrived for too long; the subscription is presumed dead.
    case heartbeatTimeout(seconds: Double)
}

/// What the connection loop does next.
enum ReconnectAction: Sendable, Equatable {
    /// Subscribe again to `master` after `delay` seconds; report `notice` as `.disconnected` if set.
    case retry(master: String, delay: Double, notice: String?)
    /// Give up; report `error` as `.error` if set. The event sequence then ends.
    case finish(error: String?)
}

/// The reconnection decisions of a scheduler, separate from its I/O so they can be tested alone:
/// which master to try next, how long to wait, and when to tell the framework it is disconnected.
struct ReconnectPolicy: Sendable {
    private(set) var master: String
    private var backoff: Backoff
    /// True once `.disconnected` has been reported for the current outage.
    private var outageReported = false
    /// Redirects followed since the last successful subscription, to stop a redirect loop.
    private var redirects = 0

    static let redirectsBeforeBackoff = 3

    init(master: String, initialBackoff: Double, maximumBackoff: Double) {
        self.master = master
        self.backoff = Backoff(initial: initialBackoff, maximum: maximumBackoff)
    }

    /// A SUBSCRIBED event arrived: the outage (if any) is over.
    mutating func subscribed() {
        backoff.reset()
        outageReported = false
        redirects = 0
    }

    mutating func next(after end: SubscriptionEnd, random: Double) -> ReconnectAction {
        switch end {
        case .stopped, .errorEvent:
            return .finish(error: nil)
        case .rejected(let status, let message):
            if status >= 500 { return retry(notice: "the master at \(master) answered \(status): \(message)", random: random) }
            return .finish(error: "the master at \(master) refused the subscription (\(status)): \(message)")
        case .redirected(let location):
            guard let location, let leader = MasterAddress.normalize(location) else {
                return retry(notice: "the master at \(master) redirected without a usable Location", random: random)
            }
            master = leader
            redirects += 1
            if redirects <= Self.redirectsBeforeBackoff { return .retry(master: leader, delay: 0, notice: nil) }
            return retry(notice: nil, random: random)
        case .unavailable(let message):
            return retry(notice: "the master at \(master) is unavailable (503): \(message)", random: random)
        case .unreachable(let message):
            return retry(notice: "cannot reach the master at \(master): \(message)", random: random)
        case .closed(let message):
            return retry(notice: "the subscription to \(master) ended: \(message)", random: random)
        case .heartbeatTimeout(let seconds):
            return retry(notice: "no heartbeat from \(master) for \(formatSeconds(seconds)) s", random: random)
        }
    }

    private mutating func retry(notice: String?, random: Double) -> ReconnectAction {
        let report = outageReported ? nil : notice.map { "\($0); reconnecting" }
        if notice != nil { outageReported = true }
        return .retry(master: master, delay: backoff.next(random: random), notice: report)
    }

    private func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
