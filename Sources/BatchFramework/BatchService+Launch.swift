import Foundation
import BatchCore
import FairwayCore
import FairwayProto
import FrameworkKit

extension BatchService {
    /// Journals the attempts, then accepts the offer with one LAUNCH of all of them. What the
    /// offer cannot hold (it changed, or was rescinded) is reported lost to the planner at once.
    func launch(_ plans: [LaunchPlan], offerID: String) {
        let now = Self.now()
        guard let offer = desk.use(offerID) else {
            lost(plans, because: "offer \(offerID) was rescinded before it could be used", now: now)
            return
        }
        var left = offer.availableResources
        var tasks: [Fairway_V1_TaskInfo] = []
        var launched: [LaunchPlan] = []
        for plan in plans {
            guard let resources = left.slice(matching: Resources(scalars: ["cpus": plan.cpus, "mem": plan.memMB])) else {
                lost([plan], because: "offer \(offerID) could not hold the task", now: now)
                continue
            }
            left -= resources
            tasks.append(factory.task(for: plan, on: offer, resources: resources, countersFile: countersFile(plan.attemptID),
                                      feed: mapOutputsFeed(plan)) {
                self.agentEndpoints[$0]
            })
            launched.append(plan)
        }
        do {
            try store.recordLaunches(launched.map { plan in
                BatchStore.AttemptRow(attemptID: plan.attemptID, jobID: plan.jobID, agentID: offer.agentID.value,
                                      hostname: offer.hostname, speculative: plan.speculative, launchedAt: now)
            })
        } catch {
            logger.error("cannot journal launches: \(error); declining the offer")
            lost(launched, because: "the batch framework could not journal the launch", now: now)
            decline([offerID], refuseSeconds: 1)
            return
        }
        guard !tasks.isEmpty else {
            decline([offerID], refuseSeconds: 1)
            return
        }
        calls?.send("LAUNCH on \(offer.hostname)") { [tasks, launched] scheduler in
            do {
                // No filter on the leftovers: they come straight back, and the planner declines what it
                // cannot use with a filter of its own choosing.
                try await scheduler.launch(offer, tasks: tasks, refuseSeconds: 0)
            } catch {
                await self.launchFailed(launched, error: error)
                throw error
            }
        }
    }

    /// The counters file of a map/reduce attempt; nil for array tasks.
    func countersFile(_ attemptID: String) -> String? {
        guard let parts = AttemptID.parse(attemptID), let job = planner.job(parts.jobID),
              case .mapReduce(let spec) = job.spec.kind else { return nil }
        return TaskFactory.countersFile(output: spec.output, attemptID: attemptID)
    }

    /// What a finished map/reduce attempt counted (records and bytes in and out), read from its
    /// counters file; nil when there is none.
    func counters(of attemptID: String) -> [String: Int]? {
        guard let path = countersFile(attemptID), let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    func launchFailed(_ plans: [LaunchPlan], error: any Error) {
        let now = Self.now()
        for plan in plans { try? store.recordEnd(attemptID: plan.attemptID, state: "lost", message: "launch failed: \(error)", at: now) }
        lost(plans, because: "the master did not take the launch: \(error)", now: now)
    }

    private func lost(_ plans: [LaunchPlan], because reason: String, now: Double) {
        for plan in plans {
            perform(planner.statusUpdate(attemptID: plan.attemptID, state: .lost(reason), now: now))
        }
    }

    func decline(_ offerIDs: [String], refuseSeconds: Double) {
        calls?.decline(offers: desk.release(offerIDs), refuseSeconds: refuseSeconds)
    }

    /// Sends declared demand at most every `demandInterval`; only the latest is sent.
    func declare(_ shapes: [DemandShape]) {
        unsentDemand = shapes
        guard demandTimer == nil else { return }
        demandTimer = Task { [interval = options.demandInterval] in
            self.sendDemand()
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            self.demandWindowEnded()
        }
    }

    private func sendDemand() {
        guard let shapes = unsentDemand else { return }
        unsentDemand = nil
        var requests: [Fairway_V1_Request] = []
        for shape in shapes {
            var request = Fairway_V1_Request()
            request.resources = Resources(scalars: ["cpus": shape.cpus, "mem": shape.memMB]).proto()
            let room = Self.maximumDeclaredTasks - requests.count
            guard room > 0 else { break }
            requests += Array(repeating: request, count: min(shape.count, room))
        }
        calls?.send("REQUEST (\(requests.count) tasks)") { [requests] in try await $0.request(requests) }
    }

    private func demandWindowEnded() {
        demandTimer = nil
        if unsentDemand != nil { declare(unsentDemand ?? []) }
    }

    /// A job ended: record it; a successful map/reduce job gets Hadoop's `_SUCCESS` marker and its
    /// reduce attempts' scratch directory removed.
    func finished(_ jobID: JobID, state: JobState, message: String?) {
        try? store.setJobState(id: jobID, state: state.rawValue, message: message)
        logger.notice("job \(jobID) \(state.rawValue)\(message.map { ": \($0)" } ?? "")")
        guard let job = planner.job(jobID), case .mapReduce(let spec) = job.spec.kind else { return }
        try? FileManager.default.removeItem(atPath: spec.output + "/_temporary")
        if state == .succeeded {
            _ = FileManager.default.createFile(atPath: spec.output + "/_SUCCESS", contents: nil)
        }
    }
}
