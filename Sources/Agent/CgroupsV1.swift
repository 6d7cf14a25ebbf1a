/// cgroup v1: one hierarchy per controller. Memory (`memory.limit_in_bytes`, OOM kills counted in
/// `memory.oom_control`) is required; cpu (`cpu.shares`, CFS quota per 100 ms period) is used
/// when its hierarchy is writable too.
struct CgroupsV1: CgroupIsolator {
    /// `<memory mount>/<agent's memory cgroup>/fairway/agent-<key>`.
    var memoryBase: String
    /// Same for the cpu controller; nil when it cannot be used.
    var cpuBase: String?

    var summary: String {
        "cgroup v1 (memory at \(memoryBase)" + (cpuBase.map { ", cpu at \($0)" } ?? ", no cpu controller") + ")"
    }

    private func directories(_ containerID: String) -> [String] {
        [memoryBase + "/" + containerID] + (cpuBase.map { [$0 + "/" + containerID] } ?? [])
    }

    func prepare(containerID: String, cpus: Double?, memoryMB: Double?) throws(AgentError) -> [String] {
        let memory = memoryBase + "/" + containerID
        do {
            try Sandbox.makeDirectories(memory)
            if let memoryMB {
                try CgroupFiles.write(memory + "/memory.limit_in_bytes", String(Self.memoryBytes(memoryMB)))
            }
            var procs = [memory + "/cgroup.procs"]
            if let cpuBase {
                let cpu = cpuBase + "/" + containerID
                try Sandbox.makeDirectories(cpu)
                if let cpus {
                    try CgroupFiles.write(cpu + "/cpu.shares", String(max(2, Int64(cpus * 1024))))
                    try CgroupFiles.write(cpu + "/cpu.cfs_period_us", String(Self.cfsPeriod))
                    try CgroupFiles.write(cpu + "/cpu.cfs_quota_us", String(Self.cfsQuota(cpus)))
                }
                procs.append(cpu + "/cgroup.procs")
            }
            return procs
        } catch {
            _ = destroy(containerID: containerID)
            throw error
        }
    }

    func memoryLimitHit(containerID: String) -> Bool {
        let directory = memoryBase + "/" + containerID
        if let kills = CgroupFiles.keyedValues(directory + "/memory.oom_control")["oom_kill"] {
            return kills > 0
        }
        // Kernels before 4.13 do not count OOM kills; hitting the limit is the next best sign.
        return (Int64(CgroupFiles.read(directory + "/memory.failcnt")?.trimmed ?? "") ?? 0) > 0
    }

    func processes(containerID: String) -> [Int32] {
        Array(Set(directories(containerID).flatMap { CgroupFiles.pids($0 + "/cgroup.procs") }))
    }

    func destroy(containerID: String) -> Bool {
        directories(containerID).map { CgroupFiles.remove($0) }.allSatisfy { $0 }
    }

    func removeAgentSubtreeIfEmpty() {
        _ = CgroupFiles.remove(memoryBase)
        if let cpuBase { _ = CgroupFiles.remove(cpuBase) }
    }

    func existingContainers() -> [String] {
        Array(Set(CgroupFiles.subdirectories(memoryBase) + (cpuBase.map(CgroupFiles.subdirectories) ?? [])))
    }
}
