/// The batch framework's decision-making core: which attempt runs on which offer, what to retry, when a
/// job is done. Pure: the shell feeds it events with the current time and carries out the returned actions
/// (see `BatchAction` for their order). Every event costs O(what it changes): per-phase queues of waiting
/// tasks, a table of live attempts, no scans over all tasks except on rare events (agent loss, job end).
public struct BatchPlanner: Sendable {
    public let configuration: PlannerConfiguration
    /// Every job the planner knows, in submit order (finished ones stay until `forget(jobID:)`).
    public internal(set) var jobs: [Job] = []
    var jobIndex: [JobID: Int] = [:]
    var runtimes: [JobRuntime] = []
    /// Pending and running jobs, first come first served.
    var active: [Int] = []
    /// Staging and running attempts by attempt ID.
    var live: [String: AttemptRef] = [:]
    /// Agents that have offered resources and were not lost since, with their hostnames.
    var agents: [String: String] = [:]
    var declaredDemand: [DemandShape] = []
    var suppressed = false
    /// Until when offers declined with the long filter stay hidden from us (reset by a revive).
    var longFilterUntil = -Double.infinity
    var nextSequence = 0

    public init(configuration: PlannerConfiguration = PlannerConfiguration()) {
        self.configuration = configuration
    }

    // MARK: Reading

    /// The job with this ID, as it should be persisted.
    public func job(_ id: JobID) -> Job? {
        jobIndex[id].map { jobs[$0] }
    }

    /// Attempts believed to be staging or running, for reconciliation with the master after a restart.
    public var liveAttempts: [LiveAttempt] {
        live.map { id, ref in
            LiveAttempt(attemptID: id, agentID: attempt(ref).agentID, jobID: jobs[ref.job].id)
        }.sorted { $0.attemptID < $1.attemptID }
    }

    /// The current outputs of a map/reduce job's finished maps (for a shell that serves them to reduces).
    public func mapOutputs(jobID: JobID) -> [MapOutput] {
        guard let ji = jobIndex[jobID], jobs[ji].phases.count == 2 else { return [] }
        return jobs[ji].phases[0].tasks.compactMap(\.output)
    }

    /// The demand last declared to the master.
    public var currentDemand: [DemandShape] { declaredDemand }

    /// Whether offers are currently suppressed.
    public var isSuppressed: Bool { suppressed }

    // MARK: Commands

    /// Accepts a job. `splits` are the map inputs (ignored for array jobs). An ID already known is ignored
    /// (so a retried submit is harmless). A spec with problems (`JobSpec.validate(splits:)`) is recorded as
    /// failed at once with those problems as its message; the shell should validate before submitting.
    public mutating func submit(id: JobID, spec: JobSpec, splits: [InputSplit] = [], now: Double) -> [BatchAction] {
        guard jobIndex[id] == nil else { return [] }
        var effects = Effects()
        let problems = spec.validate(splits: splits)
        let job = Job(id: id, spec: spec, splits: splits, sequence: nextSequence, now: now)
        nextSequence += 1
        let ji = jobs.count
        jobs.append(job)
        runtimes.append(JobRuntime(phaseCount: job.phases.count))
        jobIndex[id] = ji
        effects.markChanged(ji)
        if problems.isEmpty {
            active.append(ji)
            for p in jobs[ji].phases.indices {
                for t in jobs[ji].phases[p].tasks.indices { enqueue(ji, p, t) }
            }
        } else {
            end(ji, .failed, message: "invalid job: " + problems.joined(separator: "; "), now: now, into: &effects)
        }
        return finish(&effects, now: now)
    }

    /// Kills a pending or running job: its live attempts are killed and nothing more launches.
    public mutating func kill(jobID: JobID, now: Double) -> [BatchAction] {
        guard let ji = jobIndex[jobID], !jobs[ji].isFinished else { return [] }
        var effects = Effects()
        end(ji, .killed, message: "killed by user", now: now, into: &effects)
        return finish(&effects, now: now)
    }

    /// Drops a finished job from memory (the shell keeps it in its database). O(size of the planner).
    @discardableResult
    public mutating func forget(jobID: JobID) -> Bool {
        guard let ji = jobIndex[jobID], jobs[ji].isFinished else { return false }
        var remaining = jobs
        remaining.remove(at: ji)
        let demand = declaredDemand
        let wasSuppressed = suppressed
        let filterUntil = longFilterUntil
        let known = agents
        let sequence = nextSequence
        self = BatchPlanner(jobs: remaining, configuration: configuration)
        declaredDemand = demand
        suppressed = wasSuppressed
        longFilterUntil = filterUntil
        agents = known
        nextSequence = max(nextSequence, sequence)
        return true
    }

    // MARK: Shared bookkeeping

    func attempt(_ ref: AttemptRef) -> Attempt {
        jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt]
    }

    /// Hosts a task prefers (only maps whose split names hosts).
    func preferredHosts(_ ji: Int, _ p: Int, _ t: Int) -> [String] {
        guard jobs[ji].phases[p].phase == .map, jobs[ji].splits.indices.contains(t) else { return [] }
        return jobs[ji].splits[t].hosts
    }

    /// Puts a waiting task into its phase's queues.
    mutating func enqueue(_ ji: Int, _ p: Int, _ t: Int) {
        let task = jobs[ji].phases[p].tasks[t]
        let entry = QueueEntry(task: t, ticket: task.attempts.count, since: task.runnableSince)
        let hosts = preferredHosts(ji, p, t)
        if hosts.isEmpty {
            runtimes[ji].phases[p].anywhere.push(entry)
        } else {
            runtimes[ji].phases[p].preferring.push(entry)
            var seen: Set<String> = []
            for host in hosts where seen.insert(host).inserted {
                runtimes[ji].phases[p].byHost[host, default: TaskQueue()].push(entry)
            }
        }
    }

    /// Whether a queue entry still stands for a waiting task.
    func isCurrent(_ entry: QueueEntry, _ ji: Int, _ p: Int) -> Bool {
        let task = jobs[ji].phases[p].tasks[entry.task]
        return task.state == .waiting && task.attempts.count == entry.ticket
    }

    /// A task goes back to waiting (retry, or its map output was lost) and is queued again.
    mutating func requeue(_ ji: Int, _ p: Int, _ t: Int, now: Double) {
        switch jobs[ji].phases[p].tasks[t].state {
        case .running: jobs[ji].phases[p].running -= 1
        case .succeeded: jobs[ji].phases[p].done -= 1
        case .waiting, .failed: return
        }
        jobs[ji].phases[p].tasks[t].state = .waiting
        jobs[ji].phases[p].tasks[t].runnableSince = now
        jobs[ji].phases[p].waiting += 1
        enqueue(ji, p, t)
    }

    /// Ends one live attempt as asked by the planner itself (speculative loser, job end, lost map output).
    mutating func killAttempt(_ ref: AttemptRef, message: String, now: Double, into effects: inout Effects) {
        let current = attempt(ref)
        guard current.isLive else { return }
        setFinal(ref, .killed, message: message, now: now)
        jobs[ref.job].counters.attemptsKilled += 1
        effects.actions.append(.kill(attemptID: current.attemptID, agentID: current.agentID))
        effects.markChanged(ref.job)
    }

    /// Marks an attempt final and forgets it as live.
    mutating func setFinal(_ ref: AttemptRef, _ state: AttemptState, message: String?, now: Double) {
        jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].state = state
        jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].finishedAt = now
        if let message {
            jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts[ref.attempt].lastMessage = message
        }
        live[attempt(ref).attemptID] = nil
    }

    /// Live attempts of one job, in attempt-ID order (deterministic actions).
    func liveRefs(ofJob ji: Int) -> [AttemptRef] {
        live.filter { $0.value.job == ji }.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Ends a job: kills what still runs, records the outcome, and stops serving it.
    mutating func end(_ ji: Int, _ state: JobState, message: String?, now: Double, into effects: inout Effects) {
        let reason: String
        switch state {
        case .killed: reason = "killed: the job was killed"
        case .failed: reason = "killed: the job failed"
        default: reason = "killed: the job is complete"
        }
        for ref in liveRefs(ofJob: ji) { killAttempt(ref, message: reason, now: now, into: &effects) }
        jobs[ji].state = state
        jobs[ji].message = message
        jobs[ji].finishedAt = now
        active.removeAll { $0 == ji }
        for p in runtimes[ji].phases.indices { runtimes[ji].phases[p].clearWaiting() }
        runtimes[ji].backups.removeAll()
        effects.markChanged(ji)
        effects.finished.append(.jobFinished(jobs[ji].id, state, message: message))
    }
}
