import Foundation

/// Finds and kills the processes a test cluster or bench left behind, by working directory or
/// command line: tasks in a cluster's sandboxes (they run in sessions of their own, so killing an
/// agent does not reach them), a killed agent's `ip` commands still running.
public enum ProcessSweep {
    /// A running process as the sweep sees it. Zombies have neither and are never matched.
    public struct Process: Sendable {
        public var pid: Int32
        public var workingDirectory: String
        /// argv joined with spaces.
        public var command: String
    }

    /// Every process but this one that `matches` accepts.
    public static func find(_ matches: (Process) -> Bool) -> [Process] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Process? in
            guard let pid = Int32(entry), pid != getpid() else { return nil }
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) ?? ""
            let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? ""
            guard !cwd.isEmpty || !command.isEmpty else { return nil }
            let process = Process(pid: pid, workingDirectory: cwd, command: command)
            return matches(process) ? process : nil
        }
    }

    /// SIGKILLs what `matches` accepts, again and again (a dying parent may start another) until
    /// nothing matches or `timeout` seconds pass. Returns how many processes it killed.
    @discardableResult
    public static func kill(timeout: Double = 5, _ matches: (Process) -> Bool) -> Int {
        var killed = 0
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = find(matches)
            if found.isEmpty { return killed }
            for process in found where Glibc.kill(process.pid, SIGKILL) == 0 { killed += 1 }
            if Date() >= deadline { return killed }
            usleep(20_000)
        }
    }
}
