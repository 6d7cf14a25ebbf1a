import Glibc

extension ReduceTask {
    /// Merges sorted map outputs into fewer files until at most `fanIn` remain, so a job with
    /// thousands of maps does not open thousands of files at once. Consecutive groups are merged
    /// in order, so equal keys still reach the reducer in map index order. Returns the files to
    /// merge into the reducer (the inputs themselves when there are few enough).
    static func mergeDown(_ paths: [String], fanIn: Int, directory: String) throws -> [String] {
        let fanIn = max(2, fanIn)
        var current = paths
        var pass = 0
        while current.count > fanIn {
            try POSIXFiles.makeDirectories(directory)
            var next: [String] = []
            for (group, start) in stride(from: 0, to: current.count, by: fanIn).enumerated() {
                let members = Array(current[start..<min(start + fanIn, current.count)])
                if members.count == 1 {
                    next.append(members[0])
                    continue
                }
                let sources = try members.map { path throws -> any SortedRecordSource in
                    try FileRecordSource(path: path, what: "map output")
                }
                let merged = directory + "/merge-\(pass)-\(group)"
                _ = try MapTask.writeSorted(try RecordMerger(sources: sources), to: merged)
                next.append(merged)
            }
            // Intermediate files of the previous pass are no longer needed.
            for path in current where path.hasPrefix(directory + "/") && !next.contains(path) { unlink(path) }
            current = next
            pass += 1
        }
        return current
    }
}
