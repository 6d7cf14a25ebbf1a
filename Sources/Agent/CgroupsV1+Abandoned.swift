import Glibc

/// Idle cgroups left by agents that died (`kill -9`, a crash, a test harness): no agent on the
/// same work dir may ever start again to clean its subtree, so every agent does it for the
/// others when it starts. Only idle cgroups (`pool-<pid>-<n>`, empty by construction) of pids
/// that no longer run are removed; another agent's tasks and subtree are never touched.
extension CgroupsV1 {
    /// Removes them under `fairwayDirectory` (`<hierarchy>/<agent's cgroup>/fairway`); returns how
    /// many were removed.
    @discardableResult
    static func removeAbandonedPools(under fairwayDirectory: String) -> Int {
        var removed = 0
        for agent in CgroupFiles.subdirectories(fairwayDirectory) {
            let subtree = fairwayDirectory + "/" + agent
            for name in CgroupFiles.subdirectories(subtree) {
                guard let owner = CgroupPool.owner(of: name), !isRunning(owner) else { continue }
                if CgroupFiles.remove(subtree + "/" + name) { removed += 1 }
            }
        }
        return removed
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
