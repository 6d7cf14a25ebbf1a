import FairwayCore
import FairwayProto
import FrameworkKit
import KubeAPI
import PodCore

/// The pods framework's shell as the throughput bench runs it: `PodService`'s event and action
/// handling (a copy, kept as close to it as the bench allows) between the store's pod watch, the
/// pure `PodTracker` and the in-process master. What it leaves out: services' environment
/// variables (the bench creates none), the replication and endpoints controllers, the service
/// network, reconciliation after a failover, and the HTTP scheduler API (calls and events stay
/// in-process protobuf values).
actor PodBenchShell {
    let store: KubeStore
    let writes: PodBenchWrites
    let calls: PodBenchCallLane
    let acknowledgements: PodBenchCallLane
    let role: String
    var tracker = PodTracker()
    var manifests: [String: PodBenchManifest] = [:]
    var offers: [String: Fairway_V1_Offer] = [:]
    var frameworkID = Fairway_V1_FrameworkID()
    var times = PodBenchTimes()
    var counters: [String: Int] = [:]
    /// When the last ACCEPT was sent (monotonic nanoseconds).
    var lastLaunchAt: UInt64 = 0
    /// At most one FailedScheduling event per pod in this many seconds (0: every one, as
    /// PodService records them).
    var failedSchedulingInterval: Double = 0
    var lastFailedScheduling: [String: Double] = [:]
    /// Drop the PodScheduled=False status writes and FailedScheduling events of pods that only
    /// missed this pass's offers: what a tracker judging pods against the whole cluster, not the
    /// offers in hand, would leave out.
    var quietPending = false

    static let agentAnnotation = "fairway.io/agent-id"

    init(store: KubeStore, writes: PodBenchWrites, calls: PodBenchCallLane, acknowledgements: PodBenchCallLane, role: String,
         failedSchedulingInterval: Double = 0, quietPending: Bool = false) {
        self.failedSchedulingInterval = failedSchedulingInterval
        self.quietPending = quietPending
        self.store = store
        self.writes = writes
        self.calls = calls
        self.acknowledgements = acknowledgements
        self.role = role
    }

    static func now() -> Double { PodBenchMaster.now() }

    func count(_ name: String, _ amount: Int = 1) { counters[name, default: 0] += amount }

    /// An event of the framework's subscription, as `PodService.handle` takes it.
    func handle(_ event: Fairway_V1_Scheduler_Event) {
        let now = Self.now()
        switch event.type {
        case .subscribed:
            frameworkID = event.subscribed.frameworkID
            offers.removeAll()
            perform(tracker.subscribed(now: now))
        case .offers:
            var views: [AgentOffer] = []
            for offer in event.offers.offers {
                offers[offer.id.value] = offer
                views.append(Self.view(of: offer))
            }
            count("offer_events")
            count("offers_received", views.count)
            if tracker.pendingCount > 0 { count("placement_passes") }
            let actions = times.measure("placement") { tracker.offers(views, now: now) }
            perform(actions)
        case .rescind:
            offers[event.rescind.offerID.value] = nil
        case .update:
            update(event.update.status, now: now)
        default:
            break
        }
    }

    /// `PodService.view(of:)`: the offer's resources, its agent's attributes and the hostname label.
    static func view(of offer: Fairway_V1_Offer) -> AgentOffer {
        let resources = offer.availableResources
        var labels = offer.attributeValues
        labels[AgentOffer.hostnameLabel] = offer.hostname
        return AgentOffer(offerID: offer.id.value, agentID: offer.agentID.value, hostname: offer.hostname,
                          cpus: resources.scalar("cpus"), memMB: resources.scalar("mem"), attributes: labels)
    }

    private func update(_ status: Fairway_V1_TaskStatus, now: Double) {
        let kind: ContainerUpdate.Kind = switch status.state {
        case .taskStaging, .taskStarting: .starting
        case .taskRunning, .taskKilling: .running
        case .taskFinished: .finished
        case .taskFailed: .failed
        case .taskKilled: .killed
        case .taskError: .error
        default: .lost
        }
        if kind != .running { count("updates_not_running") }
        let update = ContainerUpdate(taskID: status.taskID.value, kind: kind, agentID: status.agentID.value,
                                     message: status.message.isEmpty ? nil : status.message)
        let actions = times.measure("tracker_update") { tracker.update(update, now: now) }
        perform(actions)
        if status.hasUuid, !status.uuid.isEmpty {
            var call = Fairway_V1_Scheduler_Call()
            call.type = .acknowledge
            call.frameworkID = frameworkID
            call.acknowledge.agentID = status.agentID
            call.acknowledge.taskID = status.taskID
            call.acknowledge.uuid = status.uuid
            acknowledgements.send(call)
        }
    }

    /// Carries out the tracker's actions, as `PodService.perform` does.
    func perform(_ actions: [PodAction]) {
        for action in actions {
            switch action {
            case .launch(let offerID, _, let uids, let refuse): launch(uids, offerID: offerID, refuseSeconds: refuse)
            case .decline(let offerIDs, let refuseSeconds): decline(offerIDs, refuseSeconds: refuseSeconds)
            case .kill(let taskIDs, let agentID):
                for id in taskIDs {
                    var call = Fairway_V1_Scheduler_Call()
                    call.type = .kill
                    call.kill.taskID.value = id
                    call.kill.agentID.value = agentID
                    send(call)
                }
            case .status(let uid, let status):
                if quietPending, status.phase == .pending, status.condition("PodScheduled")?.reason == "Unschedulable" {
                    count("unschedulable_status_dropped")
                    continue
                }
                writeStatus(uid, status)
            case .event(let uid, let warning, let reason, let message):
                if reason == "FailedScheduling", quietPending {
                    count("events_FailedScheduling_dropped")
                    continue
                }
                if reason == "FailedScheduling", failedSchedulingInterval > 0 {
                    let now = Self.now()
                    if let last = lastFailedScheduling[uid], now - last < failedSchedulingInterval {
                        count("events_FailedScheduling_dropped")
                        continue
                    }
                    lastFailedScheduling[uid] = now
                }
                count("events_" + reason)
                recordEvent(uid, warning: warning, reason: reason, message: message)
            case .declareDemand(let demand): declare(demand)
            case .suppress:
                var call = Fairway_V1_Scheduler_Call()
                call.type = .suppress
                call.suppress.roles = [role]
                send(call)
            case .revive:
                var call = Fairway_V1_Scheduler_Call()
                call.type = .revive
                call.revive.roles = [role]
                send(call)
            }
        }
    }

    /// `PodService.tick`, every second: pods no offer is sized for still get told why they wait.
    func tick() {
        let actions = times.measure("tracker_tick") { tracker.tick(now: Self.now()) }
        perform(actions)
    }

    func send(_ call: Fairway_V1_Scheduler_Call) {
        var call = call
        call.frameworkID = frameworkID
        calls.send(call)
    }

    func report() -> (times: PodBenchTimes, counters: [String: Int], lastLaunchAt: UInt64) { (times, counters, lastLaunchAt) }

    /// What the shell holds, for a run that stops making progress.
    func diagnosis() -> String {
        "shell: last launch \(BenchStatistics.rounded(Double(Stopwatch.nanoseconds() - lastLaunchAt) / 1e9, 1)) s ago, \(manifests.count) pods known, \(tracker.pendingCount) pending, \(offers.count) offers held, counters \(counters)"
    }
}
