/// cgroup v2 (unified): one directory per container with `memory.max`, `cpu.max` and
/// `cpu.weight`; OOM kills counted in `memory.events`; `cgroup.kill` empties it at once.
struct CgroupsV2: CgroupIsolator {
    /// `<cgroup2 mount>/<agent's cgroup>/fairway/agent-<key>`, with memory and cpu enabled in
    /// `cgroup.subtree_control` down to it.
    var base: String
    var hasCPU: Bool

    var summary: String { "cgroup v2 (memory" + (hasCPU ? ", cpu" : "") + " at \(base))" }

    func prepare(containerID: String, cpus: Double?, memoryMB: Double?) throws(AgentError) -> [String] {
        let directory = base + "/" + containerID
        do {
            try Sandbox.makeDirectories(directory)
            if let memoryMB {
                try CgroupFiles.write(directory + "/memory.max", String(Self.memoryBytes(memoryMB)))
            }
            if hasCPU, let cpus {
                try CgroupFiles.write(directory + "/cpu.max", "\(Self.cfsQuota(cpus)) \(Self.cfsPeriod)")
                try CgroupFiles.write(directory + "/cpu.weight", String(min(10_000, max(1, Int64(cpus * 100)))))
            }
            return [directory + "/cgroup.procs"]
        } catch {
            _ = destroy(containerID: containerID)
            throw error
        }
    }

    func memoryLimitHit(containerID: String) -> Bool {
        let events = CgroupFiles.keyedValues(base + "/" + containerID + "/memory.events")
        return (events["oom_kill"] ?? 0) > 0 || (events["oom_group_kill"] ?? 0) > 0
    }

    func processes(containerID: String) -> [Int32] {
        CgroupFiles.pids(base + "/" + containerID + "/cgroup.procs")
    }

    func destroy(containerID: String) -> Bool {
        let directory = base + "/" + containerID
        if !processes(containerID: containerID).isEmpty {
            try? CgroupFiles.write(directory + "/cgroup.kill", "1")
        }
        return CgroupFiles.remove(directory)
    }

    func removeAgentSubtreeIfEmpty() {
        _ = CgroupFiles.remove(base)
    }

    func existingContainers() -> [String] {
        CgroupFiles.subdirectories(base)
    }
}
