extension BatchPlanner {
    /// The progress of one job (O(phases)).
    public func status(of id: JobID, now: Double) -> JobStatus? {
        guard let ji = jobIndex[id] else { return nil }
        let job = jobs[ji]
        let kind: String
        switch job.spec.kind {
        case .array: kind = "array"
        case .mapReduce: kind = "mapreduce"
        }
        return JobStatus(
            id: job.id, name: job.spec.name, kind: kind, state: job.state, message: job.message,
            submittedAt: job.submittedAt, startedAt: job.startedAt, finishedAt: job.finishedAt,
            elapsed: (job.finishedAt ?? now) - job.submittedAt,
            phases: job.phases.map {
                PhaseStatus(phase: $0.phase, total: $0.total, done: $0.done, running: $0.running,
                            waiting: $0.waiting, failedAttempts: $0.failedAttempts)
            },
            counters: job.counters)
    }

    /// The progress of every job, in submit order.
    public func statuses(now: Double) -> [JobStatus] {
        jobs.compactMap { status(of: $0.id, now: now) }
    }
}
