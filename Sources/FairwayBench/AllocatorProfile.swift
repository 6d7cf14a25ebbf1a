import Allocator

/// One scenario of the allocator benchmark, after the Mesos allocator benchmark's profiles: agents
/// of 32 cpus / 256 GiB / 1 TiB disk / 1001 ports, frameworks launching tasks of mixed shapes.
struct AllocatorProfile: Sendable {
    var name: String
    var agents: Int
    var frameworks: Int
    /// Nil: every framework in the one role `bench` (as Mesos's benchmark does). Set: one role per
    /// framework (`role-0001`, ...), each with this quota.
    var quota: RoleQuota?
    /// Mesos's published figures for the same scenario on its own hardware, where issue 3 quotes them.
    var mesosReference: MesosReference?
    /// What issue 3 asks of us in this scenario.
    var targets: [String: Double] = [:]

    static let agentResources = "cpus:32;mem:262144;disk:1048576;ports:[31000-32000]"

    /// Guarantee cpus:8;mem:32768 and twice that as the limit, for each of the quota profile's roles.
    static let benchQuota = RoleQuota(guarantees: ["cpus": 8, "mem": 32768], limits: ["cpus": 16, "mem": 65536])

    static let all: [AllocatorProfile] = [
        AllocatorProfile(name: "1k", agents: 1_000, frameworks: 100),
        AllocatorProfile(name: "5k", agents: 5_000, frameworks: 500),
        AllocatorProfile(
            name: "10k", agents: 10_000, frameworks: 1_000,
            mesosReference: MesosReference(
                fullAllocation: 1_100, addAgents: 1_600,
                source: "Mesos 1.8 allocation cycle (1.7 performance blog); 10k agents added in 1.61 s (commit 6ef0df93)"),
            targets: ["full_allocation_ms": 50, "event_to_offer_p99_us": 1_000]),
        AllocatorProfile(
            name: "20k", agents: 20_000, frameworks: 2_000,
            mesosReference: MesosReference(fullAllocation: 3_800, source: "Mesos 1.8 allocation cycle (1.7 performance blog)"),
            targets: ["full_allocation_ms": 150]),
        AllocatorProfile(
            name: "quota", agents: 3_000, frameworks: 3_000, quota: benchQuota,
            mesosReference: MesosReference(
                fullAllocation: 16_000, fullAllocationRange: 15_000...17_000,
                source: "Mesos LargeAndSmallQuota/2, 3k roles x 3k frameworks x 3k agents (commits ec6b7b34, 2ec34ca5)"),
            targets: ["full_allocation_ms": 200]),
    ]

    static func named(_ name: String) -> AllocatorProfile? { all.first { $0.name == name } }

    /// `--agents N --frameworks M`: all frameworks in one role, no published reference.
    static func custom(agents: Int, frameworks: Int, quota: Bool) -> AllocatorProfile {
        AllocatorProfile(name: "custom", agents: agents, frameworks: frameworks, quota: quota ? benchQuota : nil)
    }

    var roleCount: Int { quota == nil ? 1 : frameworks }
}

/// Mesos's published figures for a profile, in milliseconds, as issue 3 quotes them.
struct MesosReference: Sendable {
    var fullAllocation: Double
    var fullAllocationRange: ClosedRange<Double>?
    var addAgents: Double?
    var source: String

    var json: [String: Any] {
        var object: [String: Any] = ["full_allocation": fullAllocation, "source": source]
        if let range = fullAllocationRange { object["full_allocation_range"] = [range.lowerBound, range.upperBound] }
        if let addAgents { object["add_agents"] = addAgents }
        return object
    }
}
