import Foundation

/// Makes sure nothing a cluster started outlives the bench: after `ProcessCluster.shutdown()`,
/// kills every process whose working directory or command line lies under the cluster's root
/// (a pod container restarted by its restart policy during the shutdown, a launcher service), until
/// none is left or `timeout` seconds pass. Returns how many it killed.
enum PodBenchCleanup {
    @discardableResult
    static func killProcesses(under root: String, timeout: Double = 15) -> Int {
        var killed = 0
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let found = processes(under: root)
            if found.isEmpty { break }
            for pid in found where kill(pid, SIGKILL) == 0 { killed += 1 }
            usleep(100_000)
        } while Date() < deadline
        return killed
    }

    static func processes(under root: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), pid != getpid() else { return nil }
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
            let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")))
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? ""
            return cwd.hasPrefix(root) || command.contains(root) ? pid : nil
        }
    }
}
