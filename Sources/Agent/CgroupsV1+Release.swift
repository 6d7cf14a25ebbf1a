/// Handing an ended task's cgroups back: into the pool when they are empty and clean, removed
/// otherwise.
extension CgroupsV1 {
    /// False while processes remain in the container's cgroups (as `destroy`). Otherwise they are
    /// pooled if nothing of the task can reach the next one: no child cgroup, no OOM kill recorded
    /// (the counter cannot be reset), at most `reusableUsageBytes` still charged; the high-water
    /// mark of memory usage and the limit-hit count are reset. Anything else, or a full pool, removes them.
    func release(containerID: String) -> Bool {
        let places = byName(containerID)
        for place in places where !CgroupFiles.pids(place.path + "cgroup.procs", at: place.directory).isEmpty {
            return false
        }
        // Not found by name (the subtree was made again meanwhile): not clean, removed by path.
        guard isClean(places), let name = pool.state.withLock({ $0.reserveName(for: containerID) }) else {
            return destroy(containerID: containerID)
        }
        // Usage statistics start afresh for the next task.
        let memory = places[0]
        try? CgroupFiles.write(memory.path + "memory.max_usage_in_bytes", "0", at: memory.directory)
        try? CgroupFiles.write(memory.path + "memory.failcnt", "0", at: memory.directory)
        guard rename(containerID, to: name) else {
            pool.state.withLock { $0.forget(containerID, reserved: true) }
            return removeDirectories(containerID)
        }
        pool.state.withLock { $0.add(name, from: containerID) }
        return true
    }

    private func isClean(_ places: [Place]) -> Bool {
        // A cgroup directory links to itself, its parent and each child cgroup.
        guard places.allSatisfy({ CgroupFiles.linkCount($0.path, at: $0.directory) == 2 }) else { return false }
        let memory = places[0]
        let oom = CgroupFiles.keyedValues(memory.path + "memory.oom_control", at: memory.directory)
        guard oom["oom_kill"] == 0, oom["under_oom"] == 0 else { return false }
        guard let usage = CgroupFiles.integer(memory.path + "memory.usage_in_bytes", at: memory.directory) else { return false }
        return usage <= Self.reusableUsageBytes
    }
}
