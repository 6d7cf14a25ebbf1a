import BatchCore
import FairwayProto

extension Fairway_V1_Batch_Job {
    /// The API's view of a job: its progress, counters and, when asked, every task's attempts.
    init(_ job: Job, status: JobStatus, includeTasks: Bool) {
        self.init()
        id = job.id
        spec = job.spec.proto
        state = Self.state(job.state)
        if let message = job.message { self.message = message }
        submittedAt = job.submittedAt
        if let finishedAt = job.finishedAt { self.finishedAt = finishedAt }
        phases = status.phases.map { phase in
            var progress = Fairway_V1_Batch_PhaseProgress()
            progress.phase = Fairway_V1_Batch_Task(phase.phase).phase
            progress.total = UInt32(clamping: phase.total)
            progress.succeeded = UInt32(clamping: phase.done)
            progress.running = UInt32(clamping: phase.running)
            progress.waiting = UInt32(clamping: phase.waiting)
            progress.failedAttempts = UInt32(clamping: phase.failedAttempts)
            return progress
        }
        counters = Self.counters(status.counters)
        if includeTasks {
            tasks = job.phases.flatMap { phase in phase.tasks.map(Fairway_V1_Batch_Task.init) }
        }
    }

    static func state(_ state: JobState) -> Fairway_V1_Batch_Job.State {
        switch state {
        case .pending: .pending
        case .running: .running
        case .succeeded: .succeeded
        case .failed: .failed
        case .killed: .killed
        }
    }

    static func counters(_ counters: JobCounters) -> [Fairway_V1_Batch_Counter] {
        var all: [(String, Int)] = [
            ("attempts_launched", counters.attemptsLaunched),
            ("attempts_failed", counters.attemptsFailed),
            ("attempts_lost", counters.attemptsLost),
            ("attempts_killed", counters.attemptsKilled),
            ("speculative_attempts", counters.speculativeLaunched),
        ]
        all += counters.tasksDone.sorted { $0.key < $1.key }.map { ("\($0.key)_tasks_done", $0.value) }
        all += counters.user.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return all.map { name, value in
            var counter = Fairway_V1_Batch_Counter()
            counter.name = name
            counter.value = Int64(value)
            return counter
        }
    }
}

extension Fairway_V1_Batch_Task {
    init(_ phase: TaskPhase) {
        self.init()
        switch phase {
        case .array: self.phase = .array
        case .map: self.phase = .map
        case .reduce: self.phase = .reduce
        }
    }

    init(_ task: BatchTask) {
        self.init(task.phase)
        index = UInt32(clamping: task.index)
        switch task.state {
        case .waiting: state = .waiting
        case .running: state = .running
        case .succeeded: state = .succeeded
        case .failed: state = .failed
        }
        attempts = task.attempts.map { attempt in
            var view = Fairway_V1_Batch_Attempt()
            view.id = attempt.attemptID
            view.agentID = attempt.agentID
            view.hostname = attempt.hostname
            view.state = switch attempt.state {
            case .staging: .staging
            case .running: .running
            case .succeeded: .succeeded
            case .failed: .failed
            case .killed: .killed
            case .lost: .lost
            }
            view.startedAt = attempt.startedAt ?? attempt.launchedAt
            if let finishedAt = attempt.finishedAt { view.finishedAt = finishedAt }
            if let message = attempt.lastMessage { view.message = message }
            view.speculative = attempt.speculative
            return view
        }
    }
}
