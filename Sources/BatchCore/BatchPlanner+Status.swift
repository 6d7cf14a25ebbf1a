extension BatchPlanner {
    /// Applies a task status update from the master.
    ///
    /// - `.finished`: the first success of a task wins; its other live attempts are killed. A map's winning
    ///   attempt becomes its output location. A job succeeds when its last phase is complete.
    /// - `.failed`: counted; the task is retried until it has failed `maxAttempts` times, which fails the
    ///   job (message naming the task and the last error) and kills its other attempts. The failure also
    ///   counts towards blacklisting the agent for this job.
    /// - `.lost` / `.killed` (not asked for by the planner): retried without counting against
    ///   `maxAttempts`, like Hadoop treats attempts killed by node loss, up to `maxLostAttemptsPerTask`.
    ///
    /// Updates for attempts that are not live (unknown, duplicates, attempts the planner already ended by
    /// killing them or timing them out) are ignored. `counters` (records/bytes), when given, are kept on the
    /// attempt and summed into the job's counters if it wins. Reconciliation after a restart uses this too:
    /// attempts the master reports running get `.running`, ones it does not know get `.lost`.
    public mutating func statusUpdate(attemptID: String, state outcome: AttemptOutcome, agentID: String? = nil,
                                      counters: [String: Int]? = nil, now: Double) -> [BatchAction] {
        guard let ref = live[attemptID] else { return [] }
        var effects = Effects()
        if let counters {
            jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].counters = counters
        }
        switch outcome {
        case .running:
            if attempt(ref).state == .staging {
                jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].state = .running
                jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].startedAt = now
            }
        case .finished:
            succeed(ref, now: now, into: &effects)
        case .failed(let message):
            endAttempt(ref, .failed, message: message, now: now, into: &effects)
        case .killed(let message):
            endAttempt(ref, .killed, message: message, now: now, into: &effects)
        case .lost(let message):
            endAttempt(ref, .lost, message: message, now: now, into: &effects)
        }
        return finish(&effects, now: now)
    }

    /// The attempt succeeded: the task is done unless another attempt won first.
    mutating func succeed(_ ref: AttemptRef, now: Double, into effects: inout Effects) {
        let ji = ref.job, p = ref.phase, t = ref.task
        setFinal(ref, .succeeded, message: nil, now: now)
        effects.markChanged(ji)
        guard jobs[ji].phases[p].tasks[t].state == .running else { return }
        let winner = attempt(ref)
        jobs[ji].phases[p].tasks[t].state = .succeeded
        jobs[ji].phases[p].running -= 1
        jobs[ji].phases[p].done += 1
        let phase = jobs[ji].phases[p].phase
        jobs[ji].counters.tasksDone[phase.rawValue, default: 0] += 1
        addUserCounters(ji, winner.counters, sign: 1)
        runtimes[ji].phases[p].recordDuration(now - winner.launchedAt)
        if phase == .map {
            jobs[ji].phases[p].tasks[t].output = MapOutput(mapIndex: t, agentID: winner.agentID,
                                                          hostname: winner.hostname, attemptID: winner.attemptID)
        }
        for other in jobs[ji].phases[p].tasks[t].attempts.indices where jobs[ji].phases[p].tasks[t].attempts[other].isLive {
            killAttempt(AttemptRef(job: ji, phase: p, task: t, attempt: other),
                        message: "killed: attempt \(winner.attemptID) succeeded first", now: now, into: &effects)
        }
        let lastPhase = jobs[ji].phases.count - 1
        guard jobs[ji].phases[lastPhase].done == jobs[ji].phases[lastPhase].total, jobs[ji].state == .running
        else { return }
        end(ji, .succeeded, message: nil, now: now, into: &effects)
    }

    /// Adds (or, when a map's output is lost, takes back) a winning attempt's reported counters.
    mutating func addUserCounters(_ ji: Int, _ counters: [String: Int]?, sign: Int) {
        guard let counters else { return }
        for (name, value) in counters { jobs[ji].counters.user[name, default: 0] += sign * value }
    }

    /// The attempt ended without success. `.failed` counts against `maxAttempts` and the agent's blacklist;
    /// `.lost` and `.killed` count only against `maxLostAttemptsPerTask`. The task is requeued once it has
    /// no live attempt left, or the job fails when a limit is reached.
    mutating func endAttempt(_ ref: AttemptRef, _ state: AttemptState, message: String, now: Double,
                             into effects: inout Effects) {
        let ji = ref.job, p = ref.phase, t = ref.task
        setFinal(ref, state, message: message, now: now)
        effects.markChanged(ji)
        let ended = attempt(ref)
        let counted = state == .failed
        if counted {
            jobs[ji].phases[p].tasks[t].failures += 1
            jobs[ji].phases[p].failedAttempts += 1
            jobs[ji].counters.attemptsFailed += 1
            let failures = jobs[ji].agentFailures[ended.agentID, default: 0] + 1
            jobs[ji].agentFailures[ended.agentID] = failures
            if failures >= configuration.maxFailuresPerAgent { runtimes[ji].blacklisted.insert(ended.agentID) }
        } else {
            jobs[ji].phases[p].tasks[t].losses += 1
            jobs[ji].counters.attemptsLost += 1
        }
        guard !jobs[ji].isFinished, jobs[ji].phases[p].tasks[t].state == .running else { return }
        let task = jobs[ji].phases[p].tasks[t]
        let noun = "\(task.phase.noun) \(t)"
        let last = "last attempt \(ended.attemptID) on agent \(ended.agentID)"
            + (ended.hostname.isEmpty ? "" : " (\(ended.hostname))") + ": \(message)"
        if counted, task.failures >= jobs[ji].spec.maxAttempts {
            jobs[ji].phases[p].tasks[t].state = .failed
            jobs[ji].phases[p].running -= 1
            end(ji, .failed, message: "\(noun) failed \(task.failures) \(times(task.failures)); \(last)",
                now: now, into: &effects)
        } else if !counted, task.losses > configuration.maxLostAttemptsPerTask {
            jobs[ji].phases[p].tasks[t].state = .failed
            jobs[ji].phases[p].running -= 1
            end(ji, .failed, message: "\(noun) was lost \(task.losses) times; \(last)", now: now, into: &effects)
        } else if task.liveAttempts == 0 {
            requeue(ji, p, t, now: now)
        }
    }

    private func times(_ n: Int) -> String { n == 1 ? "time" : "times" }
}
