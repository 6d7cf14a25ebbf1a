/// Enforces a task's cpus and mem with cgroups. One implementation per cgroup version; each keeps
/// its tasks in a `fairway/agent-<key>/<container>` subtree below the agent's own cgroup, so two
/// agents in one process (or on one machine) never share cgroups and no process is ever moved out
/// of the agent's subtree.
protocol CgroupIsolator: Sendable {
    /// What is enforced, for the log: `cgroup v1 (memory, cpu)`.
    var summary: String { get }

    /// Creates the container's cgroups with its limits and returns the `cgroup.procs` files the
    /// launcher writes its pid into. `cpus`/`memoryMB` nil means no limit for that resource.
    func prepare(containerID: String, cpus: Double?, memoryMB: Double?) throws(AgentError) -> [String]

    /// Whether the kernel OOM-killed a process of the container.
    func memoryLimitHit(containerID: String) -> Bool

    /// Pids still in the container's cgroups (stray children that left the process group).
    func processes(containerID: String) -> [Int32]

    /// Removes the container's cgroups; false while some still hold processes.
    func destroy(containerID: String) -> Bool

    /// The container's task has ended: its cgroups are kept for a later task when the
    /// implementation can reuse them, removed otherwise; false while some still hold processes.
    func release(containerID: String) -> Bool

    /// Containers that have cgroups under this agent's subtree (for cleaning up after a restart).
    func existingContainers() -> [String]

    /// Removes the agent's own `fairway/agent-<key>` directories if no container is left in them.
    func removeAgentSubtreeIfEmpty()
}

extension CgroupIsolator {
    /// Without reuse (cgroup v2 cannot rename a cgroup), releasing is removing.
    func release(containerID: String) -> Bool {
        destroy(containerID: containerID)
    }

    /// Applies Mesos's floors: at least 32 MB of memory and 0.01 cpus, so a tiny request cannot make
    /// the launcher itself fail.
    static func memoryBytes(_ megabytes: Double) -> Int64 {
        Int64(max(megabytes, 32) * 1024 * 1024)
    }

    static var cfsPeriod: Int64 { 100_000 }

    static func cfsQuota(_ cpus: Double) -> Int64 {
        max(1000, Int64((max(cpus, 0.01) * Double(cfsPeriod)).rounded()))
    }
}
