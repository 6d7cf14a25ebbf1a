extension BatchPlanner {
    /// The framework (re)subscribed: the master holds no demand for a new subscription and does not
    /// suppress it, so the current demand is declared again and, when nothing waits, offers are suppressed.
    /// Offers declined before are gone with the old subscription.
    public mutating func subscribed(now: Double) -> [BatchAction] {
        declaredDemand = []
        suppressed = false
        longFilterUntil = -.infinity
        var effects = Effects()
        return finish(&effects, now: now)
    }

    /// Re-applies a launch read back from the shell's attempt journal while rebuilding state after a restart
    /// (jobs resubmitted with `submit`, then launches and their endings replayed in time order through this
    /// and `statusUpdate`; the actions those calls return are stale and can be dropped). No offer is
    /// involved. Returns false, changing nothing, for an attempt ID that is not ours, of an unknown or
    /// finished job, already known, or of a task that is done.
    @discardableResult
    public mutating func replayLaunch(attemptID: String, agentID: String, hostname: String, speculative: Bool,
                                      now: Double) -> Bool {
        guard live[attemptID] == nil, let parts = AttemptID.parse(attemptID), let ji = jobIndex[parts.jobID],
              !jobs[ji].isFinished,
              let p = jobs[ji].phases.firstIndex(where: { $0.phase == parts.phase }),
              jobs[ji].phases[p].tasks.indices.contains(parts.index) else { return false }
        let t = parts.index
        let task = jobs[ji].phases[p].tasks[t]
        guard task.state == .waiting || task.state == .running,
              !task.attempts.contains(where: { $0.attemptID == attemptID }) else { return false }
        if speculative { jobs[ji].phases[p].tasks[t].speculated = true }
        recordLaunch(ji, p, t, attemptID: attemptID, number: parts.number, agentID: agentID, hostname: hostname,
                     speculative: speculative, now: now)
        return true
    }

    /// One attempt by its ID (live or not), for journaling how the planner ended it (e.g. after a `.kill`
    /// the attempt's `state` and `lastMessage` say whether it timed out, lost a race or its job ended).
    public func attempt(_ attemptID: String) -> Attempt? {
        if let ref = live[attemptID] { return attempt(ref) }
        guard let parts = AttemptID.parse(attemptID), let ji = jobIndex[parts.jobID],
              let p = jobs[ji].phases.firstIndex(where: { $0.phase == parts.phase }),
              jobs[ji].phases[p].tasks.indices.contains(parts.index) else { return nil }
        return jobs[ji].phases[p].tasks[parts.index].attempts.last { $0.attemptID == attemptID }
    }
}
