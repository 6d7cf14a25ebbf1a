/// A queue entry: a task index plus what makes it still current.
struct QueueEntry: Sendable, Equatable {
    var task: Int
    /// The task's attempt count when queued: any launch since makes the entry stale, so a task can sit in
    /// several queues (its hosts', the global one) and leaving one needs no search through the others.
    var ticket: Int
    /// When the task became runnable (delay scheduling).
    var since: Double
}

/// A FIFO of task indexes with lazy deletion: O(1) amortised push and pop, stale entries skipped on pop.
struct TaskQueue: Sendable {
    private var items: [QueueEntry] = []
    private var head = 0

    var isEmpty: Bool { head >= items.count }

    func peek() -> QueueEntry? { head < items.count ? items[head] : nil }

    mutating func push(_ entry: QueueEntry) { items.append(entry) }

    mutating func dropFirst() {
        head += 1
        if head >= items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        items.removeAll()
        head = 0
    }

    /// The first entry passing `isCurrent`, without consuming anything.
    func first(where isCurrent: (QueueEntry) -> Bool) -> QueueEntry? {
        var i = head
        while i < items.count {
            if isCurrent(items[i]) { return items[i] }
            i += 1
        }
        return nil
    }
}

/// The queues of one phase.
struct PhaseQueues: Sendable {
    /// Tasks with no host preference, FIFO.
    var anywhere = TaskQueue()
    /// Tasks with host preferences in the order they became runnable, so expiry is checked at the head.
    var preferring = TaskQueue()
    /// Per hostname, the tasks preferring it.
    var byHost: [String: TaskQueue] = [:]
    /// Durations (launch to success) of the winning attempts, sorted, for the speculation median.
    var durations: [Double] = []

    mutating func clearWaiting() {
        anywhere.removeAll()
        preferring.removeAll()
        byHost.removeAll()
    }

    mutating func recordDuration(_ duration: Double) {
        var low = 0
        var high = durations.count
        while low < high {
            let mid = (low + high) / 2
            if durations[mid] <= duration { low = mid + 1 } else { high = mid }
        }
        durations.insert(duration, at: low)
    }

    var median: Double? { durations.isEmpty ? nil : durations[durations.count / 2] }
}

/// A speculative backup waiting for an offer.
struct BackupEntry: Sendable, Equatable {
    var phase: Int
    var task: Int
    var ticket: Int
}

/// Indexes derived from a job's persisted state; rebuilt on restore, never persisted.
struct JobRuntime: Sendable {
    var phases: [PhaseQueues]
    var backups: [BackupEntry] = []
    /// Agents that reached `maxFailuresPerAgent` for this job.
    var blacklisted: Set<String> = []

    init(phaseCount: Int) {
        phases = Array(repeating: PhaseQueues(), count: phaseCount)
    }
}

/// Where a live attempt is stored.
struct AttemptRef: Sendable, Hashable {
    var job: Int
    var phase: Int
    var task: Int
    var attempt: Int
}

/// Actions gathered during one planner call, assembled in order by `BatchPlanner.finish`.
struct Effects {
    var changed: [Int] = []
    private var changedSet: Set<Int> = []
    var actions: [BatchAction] = []
    var finished: [BatchAction] = []

    mutating func markChanged(_ job: Int) {
        if changedSet.insert(job).inserted { changed.append(job) }
    }
}
