import FairwayCore
import FairwayProto
import FrameworkKit
import PodCore

extension PodService {
    func handle(_ event: SchedulerEvent) {
        let now = Self.now()
        switch desk.take(event, logger: logger) {
        case .subscribed(let frameworkID):
            saveFrameworkID(frameworkID)
            reconcile()
            perform(tracker.subscribed(now: now))
        case .offers(let received):
            perform(tracker.offers(received.map(Self.view(of:)), now: now))
        case .update(let status):
            update(status, now: now)
        case .agentLost(let agentID):
            perform(tracker.agentLost(agentID, now: now))
        case nil:
            break
        }
    }

    /// An offer as placement sees it: unreserved and our role's resources, the agent's attributes
    /// as node labels, and `kubernetes.io/hostname`.
    static func view(of offer: Fairway_V1_Offer) -> AgentOffer {
        let resources = offer.availableResources
        var labels = offer.attributeValues
        labels[AgentOffer.hostnameLabel] = offer.hostname
        return AgentOffer(offerID: offer.id.value, agentID: offer.agentID.value, hostname: offer.hostname,
                          cpus: resources.scalar("cpus"), memMB: resources.scalar("mem"), attributes: labels)
    }

    private func update(_ status: Fairway_V1_TaskStatus, now: Double) {
        let update = ContainerUpdate(status: status)
        let actions = tracker.update(update, now: now)
        if actions.isEmpty, !status.state.isTerminal, PodTaskID.parse(status.taskID.value).flatMap({ tracker.definition(of: $0.podUID) }) == nil {
            // A container of a pod deleted while the framework was away.
            logger.notice("killing \(status.taskID.value): its pod no longer exists")
            calls?.kill(task: status.taskID.value, agent: status.agentID.value)
        }
        perform(actions)
        calls?.acknowledgeSoon(status)
    }

    /// Asks the master about every container believed live; unknown ones come back lost.
    func reconcile() {
        let live = tracker.liveTasks
        guard !live.isEmpty else { return }
        logger.notice("reconciling \(live.count) containers with the master")
        calls?.reconcile(tasks: live.map { ($0.taskID, $0.agentID) })
    }
}
