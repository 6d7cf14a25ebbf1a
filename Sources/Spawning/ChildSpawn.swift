import Glibc

/// Starting a program from this multithreaded process, the one way all of Fairway does it:
/// `posix_spawn` (glibc uses `clone(CLONE_VM|CLONE_VFORK)`, never a `fork`), default signal
/// dispositions and an empty signal mask (NIO ignores SIGPIPE; a child must not inherit that), the
/// three standard descriptors as asked and every other descriptor closed.
public enum ChildSpawn {
    /// Where one of the child's standard descriptors comes from.
    public enum Stream: Sendable {
        case devNull
        /// A descriptor of ours, duplicated into the child.
        case descriptor(Int32)
        /// A file opened for appending (created 0644 when missing).
        case appending(String)
        /// This process's own.
        case inherited
    }

    /// Why a program could not be started: `errno`'s value and its text.
    public struct Failure: Error, CustomStringConvertible {
        public var code: Int32
        public var description: String { LinuxCalls.errorText(code) }
    }

    /// Starts `program` (a path) with `arguments` (argv, `argv[0]` included) and exactly
    /// `environment` (`NAME=value` entries; nil: this process's), in `directory` when given (where
    /// the C library can). With `newSession` the child is a session and process group leader from
    /// its first instruction, so a kill of its group cannot race with its start. Returns its pid.
    public static func start(_ program: String, arguments: [String], environment: [String]?,
                             stdin: Stream = .devNull, stdout: Stream = .devNull, stderr: Stream = .devNull,
                             directory: String? = nil, newSession: Bool = false) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let source):
                posix_spawn_file_actions_adddup2(&actions, source, target)
            case .appending(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .inherited:
                break
            }
        }
        if let directory { _ = LinuxCalls.addChdir(&actions, to: directory) }
        // Descriptors some library opened without close-on-exec must not leak either.
        _ = LinuxCalls.addCloseFrom(&actions, from: 3)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = (environment ?? []).map { strdup($0) }
        envp.append(nil)
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = LinuxCalls.withSpawnAttributes(newSession: newSession) { attributes in
            environment == nil ? posix_spawn(&pid, program, &actions, &attributes, &argv, environ)
                : posix_spawn(&pid, program, &actions, &attributes, &argv, &envp)
        }
        guard code == 0 else { throw Failure(code: code) }
        return pid
    }

    /// Waits for `pid` to end and returns its raw wait status, -1 when it cannot be waited for
    /// (blocking: call it off the cooperative pool).
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return status
    }
}
