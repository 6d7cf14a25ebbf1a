extension BatchPlanner {
    /// An agent is gone (removed, or unreachable past the master's timeout).
    ///
    /// Its live attempts are lost and retried elsewhere (not counted against `maxAttempts`). Map/reduce jobs
    /// whose reduces are not all done lose the outputs of maps that ran there: those maps go back to waiting,
    /// and running reduce attempts are killed and requeued (their list of map outputs names the lost agent,
    /// so they could not finish); reduces launch again once the maps are redone.
    public mutating func agentLost(agentID: String, now: Double) -> [BatchAction] {
        var effects = Effects()
        agents[agentID] = nil
        let lostHere = live.filter { attempt($0.value).agentID == agentID }.sorted { $0.key < $1.key }
        for (_, ref) in lostHere {
            endAttempt(ref, .lost, message: "agent \(agentID) was lost", now: now, into: &effects)
        }
        for ji in active where jobs[ji].phases.count == 2 {
            let reduces = jobs[ji].phases[1]
            guard reduces.done < reduces.total else { continue }
            var outputsLost = false
            for t in jobs[ji].phases[0].tasks.indices {
                guard jobs[ji].phases[0].tasks[t].state == .succeeded,
                      jobs[ji].phases[0].tasks[t].output?.agentID == agentID else { continue }
                if let winner = jobs[ji].phases[0].tasks[t].attempts.last(where: { $0.state == .succeeded }) {
                    addUserCounters(ji, winner.counters, sign: -1)
                }
                jobs[ji].phases[0].tasks[t].output = nil
                jobs[ji].counters.tasksDone[TaskPhase.map.rawValue, default: 1] -= 1
                requeue(ji, 0, t, now: now)
                outputsLost = true
                effects.markChanged(ji)
            }
            guard outputsLost else { continue }
            for ref in liveRefs(ofJob: ji) where ref.phase == 1 {
                killAttempt(ref, message: "killed: map outputs on lost agent \(agentID) must be redone first",
                            now: now, into: &effects)
                if jobs[ji].phases[1].tasks[ref.task].liveAttempts == 0 { requeue(ji, 1, ref.task, now: now) }
            }
        }
        return finish(&effects, now: now)
    }
}
