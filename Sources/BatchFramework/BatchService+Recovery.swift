import BatchCore
import FairwayProto
import Foundation

extension BatchService {
    /// Rebuilds every job from the store: each is submitted again as it was, then the attempt
    /// journal is replayed through the planner in time order (launches, then how they ended), so
    /// tasks, retries, blacklists and map outputs come back exactly as the planner had them.
    /// Attempts still live afterwards are reconciled with the master once subscribed.
    func recover() throws {
        let jobs = try store.loadJobs()
        let attempts = try store.loadAttempts()
        guard !jobs.isEmpty else { return }
        enum Event {
            case launch(BatchStore.AttemptRow)
            case end(BatchStore.AttemptRow)
            var time: Double {
                switch self {
                case .launch(let row): row.launchedAt
                case .end(let row): row.finishedAt ?? row.launchedAt
                }
            }
        }
        for stored in jobs {
            let spec = try JobSpec(proto: Fairway_V1_Batch_JobSpec(serializedBytes: stored.spec))
            let splits = try JSONDecoder().decode([InputSplit].self, from: stored.splits)
            _ = planner.submit(id: stored.id, spec: spec, splits: splits, now: stored.submittedAt)
        }
        var events = attempts.map(Event.launch) + attempts.filter { $0.state != nil }.map(Event.end)
        events.sort { $0.time < $1.time }
        for event in events {
            switch event {
            case .launch(let row):
                planner.replayLaunch(attemptID: row.attemptID, agentID: row.agentID, hostname: row.hostname,
                                     speculative: row.speculative, now: row.launchedAt)
            case .end(let row):
                let message = row.message ?? ""
                let outcome: AttemptOutcome = switch row.state {
                case "finished": .finished
                case "failed": .failed(message)
                case "killed": .killed(message)
                default: .lost(message)
                }
                _ = planner.statusUpdate(attemptID: row.attemptID, state: outcome, agentID: row.agentID,
                                         counters: row.counters, now: row.finishedAt ?? row.launchedAt)
            }
        }
        for stored in jobs where stored.state == JobState.killed.rawValue {
            _ = planner.kill(jobID: stored.id, now: Self.now())
        }
        let unfinished = jobs.filter { planner.job($0.id)?.isFinished == false }.count
        logger.notice("recovered \(jobs.count) jobs (\(unfinished) unfinished) and \(attempts.count) attempts")
    }
}
