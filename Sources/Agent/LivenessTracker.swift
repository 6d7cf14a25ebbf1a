/// Liveness of one run of a container, from its probe results: healthy after a pass, unhealthy
/// after a failure, and after `consecutiveFailures` failures in a row the container is to be killed
/// (its restart policy then decides). Failures within the grace period after the start do not
/// count. Pure: results and the time come in, actions go out.
public struct LivenessTracker: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Health changed: report TASK_RUNNING with `healthy` (and why, when unhealthy).
        case healthChanged(healthy: Bool, why: String?)
        /// Kill the container: the probe failed too often.
        case kill(why: String)
    }

    public let consecutiveFailures: Int
    public let gracePeriod: Double
    /// When the run started (the grace period counts from here).
    public let startedAt: Double
    /// Unknown until the first counted result.
    public private(set) var healthy: Bool?
    public private(set) var failuresInARow = 0
    /// Set once the kill was asked for: later results are ignored.
    public private(set) var killed = false

    public init(consecutiveFailures: Int, gracePeriod: Double, startedAt: Double) {
        self.consecutiveFailures = max(1, consecutiveFailures)
        self.gracePeriod = max(0, gracePeriod)
        self.startedAt = startedAt
    }

    /// Takes one probe result obtained at `now`.
    public mutating func record(_ result: ProbeResult, at now: Double) -> [Action] {
        guard !killed else { return [] }
        var actions: [Action] = []
        if result.passed {
            failuresInARow = 0
            if healthy != true {
                healthy = true
                actions.append(.healthChanged(healthy: true, why: nil))
            }
            return actions
        }
        guard now - startedAt >= gracePeriod else { return [] }
        failuresInARow += 1
        if healthy != false {
            healthy = false
            actions.append(.healthChanged(healthy: false, why: result.why))
        }
        if failuresInARow >= consecutiveFailures {
            killed = true
            actions.append(.kill(why: result.why))
        }
        return actions
    }
}

/// Readiness of one run of a container: the verdict of its latest check, reported when it
/// changes and once for the first result.
public struct ReadinessTracker: Sendable, Equatable {
    /// Nil until the first result.
    public private(set) var ready: Bool?

    public init() {}

    /// Takes one result; true when the verdict changed (or is the first) and must be reported.
    public mutating func record(_ result: ProbeResult) -> Bool {
        let verdict = result.passed
        defer { ready = verdict }
        return ready != verdict
    }
}
