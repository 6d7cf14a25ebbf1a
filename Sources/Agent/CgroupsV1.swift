import Glibc
import Synchronization

/// cgroup v1: one hierarchy per controller. Memory (`memory.limit_in_bytes`, OOM kills counted in
/// `memory.oom_control`) is required; cpu (`cpu.shares`, CFS quota per 100 ms period) is used
/// when its hierarchy is writable too.
///
/// A task's cgroups are named after its container. When the task ends and they are empty and
/// clean (see `release`), they are renamed `pool-<n>` and renamed again for a later task, which
/// then gets only the limits that differ written (`CgroupPool`). Every cgroup a task gets has
/// recorded no OOM kill, so "the task was OOM-killed" stays exact without a per-lease baseline,
/// even for tasks adopted after an agent restart.
struct CgroupsV1: CgroupIsolator {
    /// `<memory mount>/<agent's memory cgroup>/fairway/agent-<key>`.
    let memoryBase: String
    /// Same for the cpu controller; nil when it cannot be used.
    let cpuBase: String?
    let pool: SharedCgroupPool
    /// `memoryBase` and `cpuBase` opened, so that a task's cgroup files are reached by name.
    let descriptors: CgroupBaseDescriptors
    /// The base descriptor of each hierarchy (memory first).
    let bases: [Int32]

    /// Idle cgroups kept for reuse by default. Launches reach the launcher service in a window of
    /// `LaunchBacklog.window`, so this covers a burst of short tasks; each idle pair of cgroups
    /// holds ~30 KB of kernel memory.
    static let defaultPoolCapacity = 128
    /// A cgroup still charged with more than this (files the task left in tmpfs, page cache) is
    /// removed rather than reused, so the next task's limit is not eaten into.
    static let reusableUsageBytes: Int64 = 1 << 20

    init(memoryBase: String, cpuBase: String?, poolCapacity: Int = Self.defaultPoolCapacity) {
        self.memoryBase = memoryBase
        self.cpuBase = cpuBase
        pool = SharedCgroupPool(capacity: poolCapacity, owner: getpid())
        descriptors = CgroupBaseDescriptors(memory: memoryBase, cpu: cpuBase)
        bases = [descriptors.memory] + (cpuBase != nil ? [descriptors.cpu] : [])
    }

    var summary: String {
        "cgroup v1 (memory at \(memoryBase)" + (cpuBase.map { ", cpu at \($0)" } ?? ", no cpu controller") + ")"
    }

    private func directories(_ name: String) -> [String] {
        [memoryBase + "/" + name] + (cpuBase.map { [$0 + "/" + name] } ?? [])
    }

    /// Where a cgroup's files are, per hierarchy (memory first): a directory descriptor and the
    /// path from it. By name (through the base descriptors: the cheap way, for cgroups that exist
    /// already) or by absolute path (for creating, and anything that must work even if the
    /// agent's subtree was removed and made again meanwhile).
    typealias Place = (directory: Int32, path: String)

    func byName(_ name: String) -> [Place] {
        bases.map { ($0, name + "/") }
    }

    func byPath(_ name: String) -> [Place] {
        directories(name).map { (AT_FDCWD, $0 + "/") }
    }

    func prepare(containerID: String, cpus: Double?, memoryMB: Double?) throws(AgentError) -> [String] {
        let wanted = limits(cpus: cpus, memoryMB: memoryMB)
        if let entry = pool.state.withLock({ $0.take() }) {
            // An idle cgroup keeps the subtree from being removed: its descriptors are good.
            if rename(entry.name, to: containerID), (try? write(wanted, over: entry.limits, byName(containerID))) != nil {
                pool.state.withLock { $0.lease(containerID, limits: wanted, reused: true) }
                return directories(containerID).map { $0 + "/cgroup.procs" }
            }
            // Whatever went wrong with this one, a new cgroup may still work.
            _ = removeDirectories(entry.name)
            _ = removeDirectories(containerID)
        }
        do {
            for directory in directories(containerID) { try Sandbox.makeDirectories(directory) }
            try write(wanted, over: .kernelDefaults, byPath(containerID))
        } catch {
            _ = destroy(containerID: containerID)
            throw error
        }
        pool.state.withLock { $0.lease(containerID, limits: wanted, reused: false) }
        return directories(containerID).map { $0 + "/cgroup.procs" }
    }

    /// Writes the limit files whose values differ from `written` (all of them when it is nil).
    private func write(_ wanted: CgroupPool.Limits, over written: CgroupPool.Limits?, _ places: [Place]) throws(AgentError) {
        let memory = places[0]
        if written?.memoryBytes != wanted.memoryBytes {
            try CgroupFiles.write(memory.path + "memory.limit_in_bytes", String(wanted.memoryBytes), at: memory.directory)
        }
        guard places.count > 1 else { return }
        let cpu = places[1]
        if written?.cpuShares != wanted.cpuShares {
            try CgroupFiles.write(cpu.path + "cpu.shares", String(wanted.cpuShares), at: cpu.directory)
        }
        if written == nil {
            try CgroupFiles.write(cpu.path + "cpu.cfs_period_us", String(Self.cfsPeriod), at: cpu.directory)
        }
        // Each write of a CFS quota walks every cpu cgroup of the machine: only when it changes.
        if written?.cfsQuota != wanted.cfsQuota {
            try CgroupFiles.write(cpu.path + "cpu.cfs_quota_us", String(wanted.cfsQuota), at: cpu.directory)
        }
    }

    /// The limit files' values for a task; no cpu controller means cpu stays at the defaults.
    func limits(cpus: Double?, memoryMB: Double?) -> CgroupPool.Limits {
        var limits = CgroupPool.Limits.kernelDefaults
        if let memoryMB { limits.memoryBytes = Self.memoryBytes(memoryMB) }
        if cpuBase != nil, let cpus {
            limits.cpuShares = max(2, Int64(cpus * 1024))
            limits.cfsQuota = Self.cfsQuota(cpus)
        }
        return limits
    }

    func memoryLimitHit(containerID: String) -> Bool {
        let directory = memoryBase + "/" + containerID
        if let kills = CgroupFiles.keyedValues(directory + "/memory.oom_control")["oom_kill"] {
            return kills > 0
        }
        // Kernels before 4.13 do not count OOM kills; hitting the limit is the next best sign.
        return (CgroupFiles.integer(directory + "/memory.failcnt") ?? 0) > 0
    }

    func processes(containerID: String) -> [Int32] {
        let lists = directories(containerID).map { CgroupFiles.pids($0 + "/cgroup.procs") }
        return lists.count == 1 ? lists[0] : Array(Set(lists.joined()))
    }

    func destroy(containerID: String) -> Bool {
        pool.state.withLock { $0.forget(containerID) }
        return removeDirectories(containerID)
    }

    func removeAgentSubtreeIfEmpty() {
        for entry in pool.state.withLock({ $0.drain() }) { _ = removeDirectories(entry.name) }
        _ = CgroupFiles.remove(memoryBase)
        if let cpuBase { _ = CgroupFiles.remove(cpuBase) }
    }

    /// Container ids with cgroups here; idle pooled cgroups are not containers (but those a
    /// previous agent process left are listed, to be removed).
    func existingContainers() -> [String] {
        let idle = Set(pool.state.withLock { $0.idle.map(\.name) })
        let names = Set(CgroupFiles.subdirectories(memoryBase) + (cpuBase.map(CgroupFiles.subdirectories) ?? []))
        return Array(names.subtracting(idle))
    }

    func removeDirectories(_ name: String) -> Bool {
        directories(name).map { CgroupFiles.remove($0) }.allSatisfy { $0 }
    }

    /// Renames the cgroup in every hierarchy; on failure nothing is left half-renamed.
    func rename(_ from: String, to: String) -> Bool {
        var done: [Int32] = []
        for base in bases {
            guard CgroupFiles.rename(from, to: to, at: base) else {
                for renamed in done { _ = CgroupFiles.rename(to, to: from, at: renamed) }
                return false
            }
            done.append(base)
        }
        return true
    }
}

/// The pool of one isolator, shared by its copies.
final class SharedCgroupPool: Sendable {
    let state: Mutex<CgroupPool>

    init(capacity: Int, owner: Int32) {
        state = Mutex(CgroupPool(capacity: capacity, owner: owner))
    }
}

/// Descriptors of the agent's subtree in each v1 hierarchy, closed with the last isolator copy.
final class CgroupBaseDescriptors: Sendable {
    let memory: Int32
    /// -1 without a cpu hierarchy.
    let cpu: Int32

    init(memory: String, cpu: String?) {
        self.memory = CgroupFiles.openDirectory(memory)
        self.cpu = cpu.map(CgroupFiles.openDirectory) ?? -1
    }

    deinit {
        if memory >= 0 { close(memory) }
        if cpu >= 0 { close(cpu) }
    }
}
