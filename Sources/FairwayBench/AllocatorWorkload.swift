import Allocator
import FairwayCore

/// The benchmark's cluster around a `DRFAllocator`: agent and framework ids, the frameworks' task
/// shapes, and every running task, with the frameworks' answer to an offer.
///
/// A framework handed an offer launches as many tasks of its shape as fit in half the offer (at
/// least one: it only asks for offers that fit one task, through its own minimum allocatable
/// resources, as Mesos frameworks do with `min_allocatable_resources`), reports the used part with
/// `offerAccepted` and gives the rest back with `recoverOffer` and a refusal of a year, like
/// Mesos's DeclineOffers benchmark. Without the per-framework minimum, memory left on a full agent
/// would be offered to every framework in turn and the cluster would never settle.
struct AllocatorWorkload {
    struct Shape {
        var cpus: Double
        var mem: Double
        var resources: Resources { Resources(scalars: ["cpus": cpus, "mem": mem]) }
    }

    /// One running task: indexes into `agentIDs` and `frameworkIDs`.
    struct RunningTask {
        var agent: Int32
        var framework: Int32
    }

    /// Frameworks cycle through these: 1 cpu / 2 GiB, 2 / 8 GiB, 4 / 4 GiB, 0.5 / 1 GiB.
    static let shapes = [
        Shape(cpus: 1, mem: 2048), Shape(cpus: 2, mem: 8192), Shape(cpus: 4, mem: 4096), Shape(cpus: 0.5, mem: 1024),
    ]
    static let refuseSeconds = 365.0 * 24 * 3600

    let profile: AllocatorProfile
    let agentIDs: [String]
    let frameworkIDs: [String]
    private let frameworkIndex: [String: Int32]
    private let agentIndex: [String: Int32]
    private let shapeResources: [Resources]
    let agentTotal: Resources
    var running: [RunningTask] = []

    init(profile: AllocatorProfile) throws {
        self.profile = profile
        agentIDs = (0..<profile.agents).map { "agent-" + Self.padded($0, 5) }
        frameworkIDs = (0..<profile.frameworks).map { "fw-" + Self.padded($0, 4) }
        frameworkIndex = Dictionary(uniqueKeysWithValues: frameworkIDs.enumerated().map { ($1, Int32($0)) })
        agentIndex = Dictionary(uniqueKeysWithValues: agentIDs.enumerated().map { ($1, Int32($0)) })
        shapeResources = Self.shapes.map(\.resources)
        agentTotal = try Resources(parsing: AllocatorProfile.agentResources)
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    func shape(ofFramework index: Int) -> Shape { Self.shapes[index % Self.shapes.count] }

    func role(ofFramework index: Int) -> String {
        profile.quota == nil ? "bench" : "role-" + Self.padded(index, 4)
    }

    // MARK: Building the allocator

    /// Quotas (quota profile only) and frameworks, each asking only for offers that fit one task.
    func addFrameworks(to allocator: inout DRFAllocator) {
        if let quota = profile.quota {
            for index in frameworkIDs.indices { allocator.setQuota(role: role(ofFramework: index), quota) }
        }
        for (index, id) in frameworkIDs.enumerated() {
            let shape = shape(ofFramework: index)
            allocator.addFramework(id, roles: [role(ofFramework: index)],
                                   minimumAllocatable: [["cpus": shape.cpus, "mem": shape.mem]])
        }
    }

    func addAgents(to allocator: inout DRFAllocator) {
        for id in agentIDs { allocator.addAgent(id, total: agentTotal) }
    }

    // MARK: Frameworks answering offers

    /// Every framework answers its offers: launches tasks in up to half of each, declines the rest.
    mutating func answer(_ offers: [Allocation], allocator: inout DRFAllocator, now: Double) {
        for offer in offers { answer(offer, allocator: &allocator, now: now) }
    }

    private mutating func answer(_ offer: Allocation, allocator: inout DRFAllocator, now: Double) {
        guard let framework = frameworkIndex[offer.frameworkID], let agent = agentIndex[offer.agentID] else { return }
        let shape = shape(ofFramework: Int(framework))
        let cpus = offer.resources.scalar("cpus")
        let mem = offer.resources.scalar("mem")
        let fitWhole = Int(min(cpus / shape.cpus, mem / shape.mem).rounded(.down))
        let fitHalf = Int(min(cpus / 2 / shape.cpus, mem / 2 / shape.mem).rounded(.down))
        let count = min(fitWhole, max(1, fitHalf))
        var used = Resources()
        if count > 0 {
            used = Resources(scalars: ["cpus": shape.cpus * Double(count), "mem": shape.mem * Double(count)])
            allocator.offerAccepted(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role, resources: used)
            for _ in 0..<count { running.append(RunningTask(agent: agent, framework: framework)) }
        }
        allocator.recoverOffer(frameworkID: offer.frameworkID, agentID: offer.agentID, role: offer.role,
                               resources: offer.resources - used, refuseSeconds: Self.refuseSeconds, now: now)
    }

    /// Allocates and answers until a pass makes no offer (or `maximumRounds` passes); returns the
    /// number of passes that made offers.
    mutating func settle(allocator: inout DRFAllocator, now: Double, maximumRounds: Int = 64) -> Int {
        for round in 0..<maximumRounds {
            let offers = allocator.allocate(now: now)
            if offers.isEmpty { return round }
            answer(offers, allocator: &allocator, now: now)
        }
        return maximumRounds
    }

    // MARK: Task ends

    /// A random running task ends: its resources are recovered and an allocation pass runs, both
    /// timed together. Returns the microseconds taken, whether a pass offered anything on the
    /// task's agent, and the offers (for the frameworks to answer, untimed).
    mutating func endRandomTask(
        allocator: inout DRFAllocator, now: Double, generator: inout SeededRandom
    ) -> (microseconds: Double, offered: Bool, offers: [Allocation])? {
        guard !running.isEmpty else { return nil }
        let index = Int(generator.next() % UInt64(running.count))
        let task = running[index]
        running.swapAt(index, running.count - 1)
        running.removeLast()
        let agentID = agentIDs[Int(task.agent)]
        let frameworkID = frameworkIDs[Int(task.framework)]
        let role = role(ofFramework: Int(task.framework))
        let resources = shapeResources[Int(task.framework) % shapeResources.count]

        let start = Stopwatch.nanoseconds()
        allocator.recover(frameworkID: frameworkID, agentID: agentID, role: role, resources: resources,
                          refuseSeconds: nil, now: now)
        let offers = allocator.allocate(now: now)
        let elapsed = Double(Stopwatch.nanoseconds() - start) / 1000
        return (elapsed, offers.contains { $0.agentID == agentID }, offers)
    }
}
