extension BatchPlanner {
    /// Asks for backups of stragglers (speculative execution).
    ///
    /// Rule, per phase of a running job with `speculative` on: once `speculationMinimumFinished` tasks of
    /// the phase have finished, an attempt whose elapsed time since launch exceeds both
    /// `speculationMultiplier` × the median duration of the phase's finished tasks and
    /// `speculationMinimumElapsed` is a straggler. A straggling task gets one backup in its life, only while
    /// it has a single live attempt; at most `speculationCap` of the phase's running tasks (at least one)
    /// have a backup queued or running at once, the slowest first. Backups are placed only when the job has
    /// nothing else waiting and never on the agent running the original; the first attempt to succeed wins
    /// and the other is killed.
    mutating func speculate(now: Double, into effects: inout Effects) {
        struct PhaseKey: Hashable { var job: Int, phase: Int }
        var candidates: [PhaseKey: [(elapsed: Double, id: String, ref: AttemptRef)]] = [:]
        var backupsInUse: [PhaseKey: Int] = [:]
        for (id, ref) in live {
            let ji = ref.job
            guard jobs[ji].spec.speculative, jobs[ji].state == .running else { continue }
            let key = PhaseKey(job: ji, phase: ref.phase)
            let current = attempt(ref)
            if current.speculative {
                backupsInUse[key, default: 0] += 1
                continue
            }
            guard let median = runtimes[ji].phases[ref.phase].median,
                  runtimes[ji].phases[ref.phase].durations.count >= configuration.speculationMinimumFinished
            else { continue }
            let task = jobs[ji].phases[ref.phase].tasks[ref.task]
            guard !task.speculated, task.state == .running else { continue }
            let elapsed = now - current.launchedAt
            let threshold = max(configuration.speculationMultiplier * median, configuration.speculationMinimumElapsed)
            if elapsed > threshold { candidates[key, default: []].append((elapsed, id, ref)) }
        }
        for key in candidates.keys.sorted(by: { ($0.job, $0.phase) < ($1.job, $1.phase) }) {
            guard var list = candidates[key] else { continue }
            let queued = runtimes[key.job].backups.filter { $0.phase == key.phase && backupIsCurrent($0, key.job) }.count
            let running = jobs[key.job].phases[key.phase].running
            let cap = max(1, Int(configuration.speculationCap * Double(running)))
            var room = cap - queued - backupsInUse[key, default: 0]
            guard room > 0 else { continue }
            list.sort { $0.elapsed != $1.elapsed ? $0.elapsed > $1.elapsed : $0.id < $1.id }
            for candidate in list where room > 0 {
                let ref = candidate.ref
                jobs[ref.job].phases[ref.phase].tasks[ref.task].speculated = true
                let ticket = jobs[ref.job].phases[ref.phase].tasks[ref.task].attempts.count
                runtimes[ref.job].backups.append(BackupEntry(phase: ref.phase, task: ref.task, ticket: ticket))
                effects.markChanged(ref.job)
                room -= 1
            }
        }
    }
}
