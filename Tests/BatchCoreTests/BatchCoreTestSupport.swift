import BatchCore
import XCTest

/// An offer literal: `agent` doubles as hostname unless given.
func offer(_ offerID: String, agent: String, host: String? = nil, cpus: Double = 4, mem: Double = 4096) -> OfferView {
    OfferView(offerID: offerID, agentID: agent, hostname: host ?? agent, cpus: cpus, memMB: mem)
}

func arrayJob(_ count: Int, command: String = "true", cpus: Double = 1, mem: Double = 128, maxAttempts: Int = 4,
              timeout: Double? = nil, speculative: Bool = false) -> JobSpec {
    JobSpec(name: "array", kind: .array(ArraySpec(command: command, count: count)), cpus: cpus, memMB: mem,
            maxAttempts: maxAttempts, taskTimeout: timeout, speculative: speculative)
}

func mapReduceJob(reducers: Int = 2, slowstart: Double = 0.05, maxAttempts: Int = 4, localityDelay: Double = 3,
                  speculative: Bool = false) -> JobSpec {
    JobSpec(name: "wc", kind: .mapReduce(MapReduceSpec(inputs: ["/data/*.txt"], output: "/out", mapper: "wc-map",
                                                       reducer: "wc-reduce", reducers: reducers,
                                                       reduceSlowstart: slowstart)),
            maxAttempts: maxAttempts, speculative: speculative, localityDelay: localityDelay)
}

func splits(_ count: Int, hosts: [String] = []) -> [InputSplit] {
    (0..<count).map { InputSplit(path: "/data/f\($0).txt", offset: 0, length: 100, hosts: hosts) }
}

extension Array where Element == BatchAction {
    /// Every launch action as (offerID, agentID, plans).
    var launches: [(offerID: String, agentID: String, plans: [LaunchPlan])] {
        compactMap { if case .launch(let o, let a, let p) = $0 { (o, a, p) } else { nil } }
    }

    var plans: [LaunchPlan] { launches.flatMap(\.plans) }

    var kills: [String] {
        compactMap { if case .kill(let id, _) = $0 { id } else { nil } }
    }

    var declines: [(offerIDs: [String], refuseSeconds: Double)] {
        compactMap { if case .decline(let ids, let r) = $0 { (ids, r) } else { nil } }
    }

    var declinedOffers: [String] { declines.flatMap(\.offerIDs) }

    var finished: [(job: JobID, state: JobState, message: String?)] {
        compactMap { if case .jobFinished(let j, let s, let m) = $0 { (j, s, m) } else { nil } }
    }

    /// The last demand declared in these actions, if any.
    var declaredDemand: [DemandShape]? {
        compactMap { if case .declareDemand(let d) = $0 { d } else { nil } }.last
    }

    var suppresses: Bool { contains(.suppress) }
    var revives: Bool { contains(.revive) }
}

/// Drives a planner like the shell would: keeps time, records every action, and answers launches.
struct Driver {
    var planner: BatchPlanner
    var now: Double = 0
    /// Everything the planner returned, in order.
    var log: [BatchAction] = []
    /// Plans launched and not yet finished by the test, by attempt ID.
    var running: [String: LaunchPlan] = [:]

    init(_ planner: BatchPlanner = BatchPlanner()) { self.planner = planner }

    @discardableResult
    mutating func record(_ actions: [BatchAction]) -> [BatchAction] {
        log += actions
        for plan in actions.plans { running[plan.attemptID] = plan }
        for id in actions.kills { running[id] = nil }
        return actions
    }

    @discardableResult
    mutating func submit(_ id: JobID, _ spec: JobSpec, splits: [InputSplit] = []) -> [BatchAction] {
        record(planner.submit(id: id, spec: spec, splits: splits, now: now))
    }

    @discardableResult
    mutating func offers(_ offers: [OfferView]) -> [BatchAction] {
        record(planner.offers(offers, now: now))
    }

    @discardableResult
    mutating func update(_ attemptID: String, _ outcome: AttemptOutcome, counters: [String: Int]? = nil) -> [BatchAction] {
        if outcome != .running { running[attemptID] = nil }
        return record(planner.statusUpdate(attemptID: attemptID, state: outcome, counters: counters, now: now))
    }

    @discardableResult
    mutating func finish(_ attemptID: String) -> [BatchAction] { update(attemptID, .finished) }

    @discardableResult
    mutating func fail(_ attemptID: String, _ message: String = "exited with status 1") -> [BatchAction] {
        update(attemptID, .failed(message))
    }

    @discardableResult
    mutating func tick() -> [BatchAction] { record(planner.tick(now: now)) }

    @discardableResult
    mutating func agentLost(_ agentID: String) -> [BatchAction] {
        record(planner.agentLost(agentID: agentID, now: now))
    }

    func state(_ id: JobID) -> JobState? { planner.job(id)?.state }
}
