import FairwayCore

extension BatchPlanner {
    /// What is waiting to be placed right now, per task size, in job order: regular tasks of open phases
    /// (including maps still waiting for a local offer) plus queued speculative backups.
    public func pendingDemand() -> [DemandShape] {
        var shapes: [DemandShape] = []
        var position: [Int64: [Int64: Int]] = [:]
        for ji in active {
            var count = runnableWaiting(ji)
            count += runtimes[ji].backups.reduce(0) { $0 + (backupIsCurrent($1, ji) ? 1 : 0) }
            guard count > 0 else { continue }
            let cpus = Scalar(jobs[ji].spec.cpus)
            let mem = Scalar(jobs[ji].spec.memMB)
            if let i = position[cpus.millis]?[mem.millis] {
                shapes[i].count += count
            } else {
                position[cpus.millis, default: [:]][mem.millis] = shapes.count
                shapes.append(DemandShape(cpus: cpus.value, memMB: mem.value, count: count))
            }
        }
        return shapes
    }

    /// Assembles a call's actions: persist changed jobs, talk to the master, report finished jobs, then
    /// keep the master's view of our demand current.
    ///
    /// Demand changes are declared with `.declareDemand`. When nothing is waiting the planner suppresses
    /// offers once; when work appears again it revives. It also revives, while not suppressed, when demand
    /// grows within `longRefuseSeconds` of a long decline, since those filters would hide agents the new
    /// work could use (REVIVE clears them).
    mutating func finish(_ effects: inout Effects, now: Double) -> [BatchAction] {
        pruneBackups()
        var out: [BatchAction] = effects.changed.map { .jobChanged(jobs[$0].id) }
        out += effects.actions
        out += effects.finished
        let demand = pendingDemand()
        let total = demand.reduce(0) { $0 + $1.count }
        if demand != declaredDemand {
            let grew = demand.contains { shape in
                shape.count > (declaredDemand.first { $0.cpus == shape.cpus && $0.memMB == shape.memMB }?.count ?? 0)
            }
            out.append(.declareDemand(demand))
            declaredDemand = demand
            if grew, !suppressed, now < longFilterUntil {
                out.append(.revive)
                longFilterUntil = -.infinity
            }
        }
        if total == 0, !suppressed {
            out.append(.suppress)
            suppressed = true
        } else if total > 0, suppressed {
            out.append(.revive)
            suppressed = false
            longFilterUntil = -.infinity
        }
        return out
    }

    /// Drops queued backups whose task finished, failed or got another attempt.
    mutating func pruneBackups() {
        for ji in active where !runtimes[ji].backups.isEmpty {
            let current = runtimes[ji].backups.filter { backupIsCurrent($0, ji) }
            if current.count != runtimes[ji].backups.count { runtimes[ji].backups = current }
        }
    }
}
