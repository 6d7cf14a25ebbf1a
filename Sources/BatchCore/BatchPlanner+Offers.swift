import FairwayCore

extension BatchPlanner {
    /// Places waiting attempts on offers and declines the rest.
    ///
    /// Each offer is packed with as many attempts as fit. Jobs are served first come, first served; within
    /// a job maps (or array tasks) come before reduces, reduces wait for the slowstart gate, and speculative
    /// backups are placed only when the job has no regular task waiting. A map whose split names hosts takes
    /// an offer from one of them, or from anywhere once it has waited `localityDelay`. A job never uses an
    /// agent it has blacklisted, and a backup never shares an agent with its task's other attempt.
    ///
    /// Every used offer yields one `.launch`; unused offers are declined together: with
    /// `longRefuseSeconds` when nothing waiting could use the agent (new work revives), or, when only the
    /// locality wait kept work off it, until the earliest such wait expires (at least `shortRefuseSeconds`),
    /// so the agent is offered again the moment those maps may run there.
    public mutating func offers(_ offers: [OfferView], now: Double) -> [BatchAction] {
        var effects = Effects()
        for offer in offers { agents[offer.agentID] = offer.hostname }
        var longDeclines: [String] = []
        var shortDeclines: [String] = []
        for offer in offers {
            var cpus = Scalar(offer.cpus).millis
            var mem = Scalar(offer.memMB).millis
            var plans: [LaunchPlan] = []
            var waitingOnLocality = false
            for ji in active where !isBlacklisted(ji, agentID: offer.agentID) {
                let needCpus = Scalar(jobs[ji].spec.cpus).millis
                let needMem = Scalar(jobs[ji].spec.memMB).millis
                while cpus >= needCpus, mem >= needMem,
                      let pick = pickTask(ji, offer: offer, now: now, waitingOnLocality: &waitingOnLocality) {
                    plans.append(launch(ji, pick.phase, pick.task, offer: offer, speculative: pick.speculative,
                                        now: now, into: &effects))
                    cpus -= needCpus
                    mem -= needMem
                }
            }
            if !plans.isEmpty {
                effects.actions.append(.launch(offerID: offer.offerID, agentID: offer.agentID, plans: plans))
            } else if waitingOnLocality {
                shortDeclines.append(offer.offerID)
            } else {
                longDeclines.append(offer.offerID)
            }
        }
        if !shortDeclines.isEmpty {
            effects.actions.append(.decline(offerIDs: shortDeclines, refuseSeconds: localityRefuseSeconds(now: now)))
        }
        if !longDeclines.isEmpty {
            effects.actions.append(.decline(offerIDs: longDeclines, refuseSeconds: configuration.longRefuseSeconds))
            longFilterUntil = max(longFilterUntil, now + configuration.longRefuseSeconds)
        }
        return finish(&effects, now: now)
    }

    /// Whether job `ji` must not use `agentID`: it failed there `maxFailuresPerAgent` times, unless the
    /// job's blacklist already covers more than `blacklistIgnoreFraction` of the known agents.
    func isBlacklisted(_ ji: Int, agentID: String) -> Bool {
        let blacklisted = runtimes[ji].blacklisted
        guard !blacklisted.isEmpty, blacklisted.contains(agentID) else { return false }
        let known = max(agents.count, 1)
        return Double(blacklisted.count) <= configuration.blacklistIgnoreFraction * Double(known)
    }

    /// Whether tasks of phase `p` may be placed now (reduces wait for the maps).
    func phaseIsOpen(_ ji: Int, _ p: Int) -> Bool {
        guard jobs[ji].phases[p].phase == .reduce, p > 0 else { return true }
        let maps = jobs[ji].phases[p - 1]
        if maps.done == maps.total { return true }
        if configuration.reducesNeedAllMaps { return false }
        guard case .mapReduce(let mr) = jobs[ji].spec.kind else { return true }
        return Double(maps.done) >= mr.reduceSlowstart * Double(maps.total) - 1e-9
    }

    /// Regular tasks of `ji` waiting in open phases (placeable now on some agent).
    func runnableWaiting(_ ji: Int) -> Int {
        var count = 0
        for p in jobs[ji].phases.indices where phaseIsOpen(ji, p) { count += jobs[ji].phases[p].waiting }
        return count
    }

    /// The next task of job `ji` to place on `offer`, consuming its queue entry.
    mutating func pickTask(_ ji: Int, offer: OfferView, now: Double,
                           waitingOnLocality: inout Bool) -> (phase: Int, task: Int, speculative: Bool)? {
        for p in jobs[ji].phases.indices where jobs[ji].phases[p].waiting > 0 && phaseIsOpen(ji, p) {
            if let t = popLocal(ji, p, host: offer.hostname) { return (p, t, false) }
            if let t = popAnywhere(ji, p) { return (p, t, false) }
            if let t = popExpired(ji, p, now: now, waitingOnLocality: &waitingOnLocality) { return (p, t, false) }
        }
        guard runnableWaiting(ji) == 0, let backup = popBackup(ji, agentID: offer.agentID) else { return nil }
        return (backup.phase, backup.task, true)
    }

    mutating func popLocal(_ ji: Int, _ p: Int, host: String) -> Int? {
        while let entry = runtimes[ji].phases[p].byHost[host]?.peek() {
            runtimes[ji].phases[p].byHost[host]?.dropFirst()
            if isCurrent(entry, ji, p) { return entry.task }
        }
        if runtimes[ji].phases[p].byHost[host]?.isEmpty == true { runtimes[ji].phases[p].byHost[host] = nil }
        return nil
    }

    mutating func popAnywhere(_ ji: Int, _ p: Int) -> Int? {
        while let entry = runtimes[ji].phases[p].anywhere.peek() {
            runtimes[ji].phases[p].anywhere.dropFirst()
            if isCurrent(entry, ji, p) { return entry.task }
        }
        return nil
    }

    /// The oldest host-preferring task whose locality wait is over; flags when one is still waiting.
    mutating func popExpired(_ ji: Int, _ p: Int, now: Double, waitingOnLocality: inout Bool) -> Int? {
        while let entry = runtimes[ji].phases[p].preferring.peek() {
            guard isCurrent(entry, ji, p) else {
                runtimes[ji].phases[p].preferring.dropFirst()
                continue
            }
            if now - entry.since >= jobs[ji].spec.localityDelay {
                runtimes[ji].phases[p].preferring.dropFirst()
                return entry.task
            }
            waitingOnLocality = true
            return nil
        }
        return nil
    }

    /// A queued backup whose task has no live attempt on `agentID`.
    mutating func popBackup(_ ji: Int, agentID: String) -> (phase: Int, task: Int)? {
        var i = 0
        while i < runtimes[ji].backups.count {
            let entry = runtimes[ji].backups[i]
            guard backupIsCurrent(entry, ji) else {
                runtimes[ji].backups.remove(at: i)
                continue
            }
            let onThisAgent = jobs[ji].phases[entry.phase].tasks[entry.task].attempts
                .contains { $0.isLive && $0.agentID == agentID }
            if !onThisAgent {
                runtimes[ji].backups.remove(at: i)
                return (entry.phase, entry.task)
            }
            i += 1
        }
        return nil
    }

    func backupIsCurrent(_ entry: BackupEntry, _ ji: Int) -> Bool {
        let task = jobs[ji].phases[entry.phase].tasks[entry.task]
        return task.state == .running && task.attempts.count == entry.ticket
    }

    /// Seconds until the earliest locality wait among all waiting maps expires, within the configured bounds.
    func localityRefuseSeconds(now: Double) -> Double {
        var earliest = Double.infinity
        for ji in active {
            for p in jobs[ji].phases.indices where jobs[ji].phases[p].waiting > 0 {
                if let head = runtimes[ji].phases[p].preferring.first(where: { isCurrent($0, ji, p) }) {
                    earliest = min(earliest, head.since + jobs[ji].spec.localityDelay)
                }
            }
        }
        let wait = earliest - now
        return min(configuration.longRefuseSeconds, max(configuration.shortRefuseSeconds, wait))
    }

    /// Records a new attempt of task `t` on the offer's agent and describes its launch.
    mutating func launch(_ ji: Int, _ p: Int, _ t: Int, offer: OfferView, speculative: Bool, now: Double,
                         into effects: inout Effects) -> LaunchPlan {
        let phase = jobs[ji].phases[p].phase
        let number = (jobs[ji].phases[p].tasks[t].attempts.map(\.number).max() ?? 0) + 1
        let attemptID = AttemptID.make(jobID: jobs[ji].id, phase: phase, index: t, number: number)
        recordLaunch(ji, p, t, attemptID: attemptID, number: number, agentID: offer.agentID, hostname: offer.hostname,
                     speculative: speculative, now: now)
        effects.markChanged(ji)
        return LaunchPlan(attemptID: attemptID, jobID: jobs[ji].id, phase: phase, index: t,
                          cpus: jobs[ji].spec.cpus, memMB: jobs[ji].spec.memMB, speculative: speculative,
                          work: work(ji, phase, t))
    }

    /// The bookkeeping of a launch: a new live attempt, the task running, the job started.
    mutating func recordLaunch(_ ji: Int, _ p: Int, _ t: Int, attemptID: String, number: Int, agentID: String,
                               hostname: String, speculative: Bool, now: Double) {
        let attempt = Attempt(attemptID: attemptID, number: number, agentID: agentID, hostname: hostname,
                              launchedAt: now, speculative: speculative, state: .staging)
        jobs[ji].phases[p].tasks[t].attempts.append(attempt)
        if jobs[ji].phases[p].tasks[t].state == .waiting {
            jobs[ji].phases[p].tasks[t].state = .running
            jobs[ji].phases[p].waiting -= 1
            jobs[ji].phases[p].running += 1
        }
        jobs[ji].counters.attemptsLaunched += 1
        if speculative { jobs[ji].counters.speculativeLaunched += 1 }
        if jobs[ji].state == .pending {
            jobs[ji].state = .running
            jobs[ji].startedAt = now
        }
        live[attemptID] = AttemptRef(job: ji, phase: p, task: t, attempt: jobs[ji].phases[p].tasks[t].attempts.count - 1)
    }

    func work(_ ji: Int, _ phase: TaskPhase, _ t: Int) -> TaskWork {
        switch jobs[ji].spec.kind {
        case .array(let array):
            return .array(command: array.command, index: t)
        case .mapReduce(let mr):
            if phase == .map {
                return .map(split: jobs[ji].splits[t], mapper: mr.mapper, combiner: mr.combiner,
                            partitions: mr.reducers)
            }
            return .reduce(partition: t, reducer: mr.reducer, output: mr.output, mapOutputs: mapOutputs(jobID: jobs[ji].id))
        }
    }
}
