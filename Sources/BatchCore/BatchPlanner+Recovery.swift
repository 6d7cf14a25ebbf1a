extension BatchPlanner {
    /// Restores a planner from persisted jobs after a framework restart.
    ///
    /// Queues, live-attempt table and blacklists are rebuilt from the jobs; nothing is declared to the
    /// master yet (a fresh subscription has no demand and is not suppressed), so the next call declares
    /// demand again. The shell should then reconcile `liveAttempts` with the master and feed the answers to
    /// `statusUpdate`: running ones as `.running`, finished ones as `.finished`/`.failed`, unknown ones as
    /// `.lost` (they are retried without counting against `maxAttempts`). A backup that was queued but not
    /// launched is forgotten and may be asked for again.
    public init(jobs restored: [Job], configuration: PlannerConfiguration = PlannerConfiguration()) {
        self.init(configuration: configuration)
        jobs = restored.sorted { $0.sequence < $1.sequence }
        nextSequence = (jobs.map(\.sequence).max() ?? -1) + 1
        for ji in jobs.indices {
            jobIndex[jobs[ji].id] = ji
            runtimes.append(JobRuntime(phaseCount: jobs[ji].phases.count))
            rebuild(ji)
        }
    }

    /// Recomputes tallies and indexes of one restored job.
    private mutating func rebuild(_ ji: Int) {
        let finished = jobs[ji].isFinished
        for p in jobs[ji].phases.indices {
            var waiting: [(since: Double, task: Int)] = []
            var running = 0, done = 0, failed = 0
            for t in jobs[ji].phases[p].tasks.indices {
                let task = jobs[ji].phases[p].tasks[t]
                failed += task.attempts.reduce(0) { $0 + ($1.state == .failed ? 1 : 0) }
                if task.speculated, !task.attempts.contains(where: \.speculative) {
                    jobs[ji].phases[p].tasks[t].speculated = false
                }
                switch task.state {
                case .waiting: waiting.append((task.runnableSince, t))
                case .running: running += 1
                case .succeeded:
                    done += 1
                    if let winner = task.attempts.last(where: { $0.state == .succeeded }),
                       let end = winner.finishedAt {
                        runtimes[ji].phases[p].recordDuration(end - winner.launchedAt)
                    }
                case .failed: break
                }
                guard !finished else { continue }
                for (a, attempt) in task.attempts.enumerated() where attempt.isLive {
                    live[attempt.attemptID] = AttemptRef(job: ji, phase: p, task: t, attempt: a)
                }
            }
            jobs[ji].phases[p].waiting = waiting.count
            jobs[ji].phases[p].running = running
            jobs[ji].phases[p].done = done
            jobs[ji].phases[p].failedAttempts = failed
            guard !finished else { continue }
            for entry in waiting.sorted(by: { ($0.since, $0.task) < ($1.since, $1.task) }) {
                enqueue(ji, p, entry.task)
            }
        }
        for (agent, failures) in jobs[ji].agentFailures where failures >= configuration.maxFailuresPerAgent {
            runtimes[ji].blacklisted.insert(agent)
        }
        if !finished { active.append(ji) }
    }
}

/// The whole planner state is its jobs plus its configuration; encoding it is the same as persisting every
/// job, and decoding it is `BatchPlanner(jobs:configuration:)`.
extension BatchPlanner: Codable {
    private enum CodingKeys: String, CodingKey { case configuration, jobs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(jobs: try container.decode([Job].self, forKey: .jobs),
                  configuration: try container.decode(PlannerConfiguration.self, forKey: .configuration))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(jobs, forKey: .jobs)
    }
}
