/// The bookkeeping of cgroup reuse (v1): which emptied task cgroups wait, renamed `pool-<n>`, for
/// the next task, and which limits each one has, so that a reused cgroup gets only the control
/// files that differ written. Creating and removing a cgroup costs the agent more than anything
/// else it does per task (a directory with dozens of control files per hierarchy, and writing a
/// CFS quota walks every cpu cgroup of the machine); renaming one costs a tenth of that.
///
/// Pure: the isolator does the renames and writes, this only decides.
struct CgroupPool: Sendable {
    /// The values written in a cgroup's limit files; `-1` means no limit.
    struct Limits: Equatable, Sendable {
        /// `memory.limit_in_bytes`.
        var memoryBytes: Int64
        /// `cpu.shares`.
        var cpuShares: Int64
        /// `cpu.cfs_quota_us` (the period stays the kernel's default of 100 ms).
        var cfsQuota: Int64

        /// What the kernel gives a new cgroup.
        static let kernelDefaults = Limits(memoryBytes: -1, cpuShares: 1024, cfsQuota: -1)
    }

    /// An idle cgroup: its name in every hierarchy and what it was last given.
    struct Entry: Equatable, Sendable {
        var name: String
        /// Nil when not known (the task's cgroup was not prepared by this agent process).
        var limits: Limits?
    }

    static let namePrefix = "pool-"

    /// How many idle cgroups are kept at most; the rest are removed.
    let capacity: Int
    /// The agent's pid, in the names (`pool-<pid>-<n>`): idle cgroups of an agent that died
    /// without removing them are found and removed by the next agent that starts on the machine.
    let owner: Int32
    /// Most recently released last: reused first, while its memory is still warm in caches.
    private(set) var idle: [Entry] = []
    /// Limits of the cgroups tasks hold now, by container id.
    private var leased: [String: Limits] = [:]
    /// Names handed out by `reserveName` whose rename has not been reported yet.
    private var reservations = 0
    private var nextNumber = 0
    /// Counters for the log and the tests.
    private(set) var reused = 0
    private(set) var created = 0
    private(set) var pooled = 0

    init(capacity: Int, owner: Int32) {
        self.capacity = max(0, capacity)
        self.owner = owner
    }

    static func isPoolName(_ name: String) -> Bool {
        name.hasPrefix(namePrefix)
    }

    /// The pid in an idle cgroup's name.
    static func owner(of name: String) -> Int32? {
        guard isPoolName(name) else { return nil }
        let parts = name.dropFirst(namePrefix.count).split(separator: "-")
        return parts.count == 2 ? Int32(parts[0]) : nil
    }

    /// An idle cgroup for a new task, if there is one; the caller renames it to the container id
    /// and then calls `leased(_:limits:)`.
    mutating func take() -> Entry? {
        idle.popLast()
    }

    /// The container now holds a cgroup with these limits written (a new one, or a reused one).
    mutating func lease(_ containerID: String, limits: Limits, reused wasReused: Bool) {
        leased[containerID] = limits
        if wasReused { reused += 1 } else { created += 1 }
    }

    /// A task's cgroup is empty and clean: the name to rename it to, or nil when the pool is full
    /// (then it is removed). The caller calls `add` after the rename, or `forget` if it failed.
    mutating func reserveName(for containerID: String) -> String? {
        guard idle.count + reservations < capacity else {
            leased[containerID] = nil
            return nil
        }
        reservations += 1
        nextNumber += 1
        return Self.namePrefix + String(owner) + "-" + String(nextNumber)
    }

    /// The cgroup of `containerID` was renamed to the reserved `name` and waits for the next task.
    mutating func add(_ name: String, from containerID: String) {
        reservations = max(0, reservations - 1)
        idle.append(Entry(name: name, limits: leased.removeValue(forKey: containerID)))
        pooled += 1
    }

    /// The container's cgroups were removed instead; `reserved` when a name had been reserved for them.
    mutating func forget(_ containerID: String, reserved: Bool = false) {
        if reserved { reservations = max(0, reservations - 1) }
        leased[containerID] = nil
    }

    /// Every idle cgroup, emptying the pool (at shutdown).
    mutating func drain() -> [Entry] {
        defer { idle = [] }
        return idle
    }
}
