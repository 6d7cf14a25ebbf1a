import BatchCore
import FairwayCore
import FairwayProto
import FrameworkKit

extension BatchService {
    func handle(_ event: SchedulerEvent) {
        let now = Self.now()
        switch desk.take(event, logger: logger) {
        case .subscribed(let frameworkID):
            try? store.setSetting("framework_id", frameworkID)
            reconcile()
            perform(planner.subscribed(now: now))
        case .offers(let received):
            var views: [OfferView] = []
            for offer in received {
                if offer.hasURL, offer.url.address.hasPort {
                    // The IP the agent serves on; its hostname need not resolve.
                    let host = offer.url.address.hasIp ? offer.url.address.ip : offer.url.address.hostname
                    agentEndpoints[offer.agentID.value] = "\(host):\(offer.url.address.port)"
                }
                let resources = offer.availableResources
                views.append(OfferView(offerID: offer.id.value, agentID: offer.agentID.value, hostname: offer.hostname,
                                       cpus: resources.scalar("cpus"), memMB: resources.scalar("mem")))
            }
            offerHistory.saw(views, now: now)
            perform(planner.offers(views, now: now))
        case .update(let status):
            update(status, now: now)
        case .agentLost(let agentID):
            // Its attempts are lost, and the map outputs kept there with it.
            perform(planner.agentLost(agentID: agentID, now: now))
        case nil:
            break
        }
    }

    private func update(_ status: Fairway_V1_TaskStatus, now: Double) {
        let attemptID = status.taskID.value
        let outcome: AttemptOutcome
        let message = status.message
        switch status.state {
        case .taskStaging, .taskStarting, .taskRunning: outcome = .running
        case .taskFinished: outcome = .finished
        case .taskFailed, .taskError: outcome = .failed(message.isEmpty ? status.state.name : message)
        case .taskKilled, .taskKilling: outcome = status.state == .taskKilling ? .running : .killed(message)
        default: outcome = .lost(message.isEmpty ? status.state.name : "\(status.state.name): \(message)")
        }
        let counters = status.state == .taskFinished ? counters(of: attemptID) : nil
        // A task running that the planner does not count as live (a backup whose kill was lost in a
        // crash, say) is of no use: kill it.
        if !status.state.isTerminal, planner.attempt(attemptID)?.state.isLive != true {
            logger.notice("killing \(attemptID): the master reports it \(status.state.name) but no job needs it")
            calls?.kill(task: attemptID, agent: status.agentID.value)
        }
        let actions = planner.statusUpdate(attemptID: attemptID, state: outcome, agentID: status.agentID.value,
                                           counters: counters, now: now)
        if status.state.isTerminal {
            // Journal how the planner ended the attempt (a kill it ordered for a timeout is a failure).
            let ended = planner.attempt(attemptID)
            let state = ended.flatMap { Self.journalState($0.state) } ?? Self.journalState(outcome)
            do {
                try store.recordEnd(attemptID: attemptID, state: state, message: ended?.lastMessage ?? message,
                                    counters: counters, at: now)
            } catch {
                // Not acknowledged: the agent sends it again and it is journaled then.
                logger.error("cannot journal the end of \(attemptID): \(error)")
                perform(actions)
                return
            }
        }
        perform(actions)
        calls?.acknowledgeSoon(status)
    }

    static func journalState(_ state: AttemptState) -> String? {
        switch state {
        case .staging, .running: nil
        case .succeeded: "finished"
        case .failed: "failed"
        case .killed: "killed"
        case .lost: "lost"
        }
    }

    static func journalState(_ outcome: AttemptOutcome) -> String {
        switch outcome {
        case .running: "running"
        case .finished: "finished"
        case .failed: "failed"
        case .killed: "killed"
        case .lost: "lost"
        }
    }

    /// Asks the master about every attempt the planner believes live; unknown ones come back lost.
    func reconcile() {
        let live = planner.liveAttempts
        guard !live.isEmpty else { return }
        logger.notice("reconciling \(live.count) attempts with the master")
        calls?.reconcile(tasks: live.map { ($0.attemptID, $0.agentID) })
    }

    func tick() {
        perform(planner.tick(now: Self.now()))
    }
}
