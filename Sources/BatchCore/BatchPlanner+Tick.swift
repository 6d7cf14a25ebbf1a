extension BatchPlanner {
    /// Periodic housekeeping (call it about once a second): task timeouts and speculation.
    ///
    /// An attempt running longer than its job's `taskTimeout` (wall time since launch) is killed and counts
    /// as a failure with the message "timed out after Ns"; the task is retried at once. Stragglers get a
    /// backup (see `speculate`). Locality waits need no tick: offers declined because of them were refused
    /// only until the earliest wait expires, so those agents are offered again in time.
    public mutating func tick(now: Double) -> [BatchAction] {
        var effects = Effects()
        timeOut(now: now, into: &effects)
        speculate(now: now, into: &effects)
        return finish(&effects, now: now)
    }

    mutating func timeOut(now: Double, into effects: inout Effects) {
        var expired: [(String, AttemptRef, Double)] = []
        for (id, ref) in live {
            guard let timeout = jobs[ref.job].spec.taskTimeout else { continue }
            if now - attempt(ref).launchedAt >= timeout { expired.append((id, ref, timeout)) }
        }
        for (id, ref, timeout) in expired.sorted(by: { $0.0 < $1.0 }) where live[id] != nil {
            let agentID = attempt(ref).agentID
            effects.actions.append(.kill(attemptID: id, agentID: agentID))
            endAttempt(ref, .failed, message: "timed out after \(seconds(timeout))s", now: now, into: &effects)
        }
    }

    /// `12` for whole seconds, `1.5` otherwise.
    func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
