import Glibc

/// Starts programs with `posix_spawn` (glibc uses `clone(CLONE_VM|CLONE_VFORK)`, never a `fork` of
/// this multithreaded process), with default signal dispositions (NIO ignores SIGPIPE; children
/// must not inherit that), an empty signal mask, and only the descriptors we hand over.
enum Spawn {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let pipe2Function: Pipe2? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addCloseFromFunction: AddCloseFrom? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// The environment of the tools we run: a plain PATH and the C locale, so error text is stable.
    static let toolEnvironment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]

    /// A pipe whose ends are close-on-exec from birth, so a spawn elsewhere cannot inherit them.
    static func pipe() throws(PodNetworkError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result: Int32
        if let pipe2 = pipe2Function {
            result = pipe2(&fds, O_CLOEXEC)
        } else {
            result = Glibc.pipe(&fds)
            if result == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        }
        guard result == 0 else { throw PodNetworkError(.io, "cannot create a pipe: \(errorText(errno))") }
        return (fds[0], fds[1])
    }

    /// A connected pair of close-on-exec stream sockets (our end first is `.write`).
    static func socketPair() throws(PodNetworkError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw PodNetworkError(.io, "cannot create a socket pair: \(errorText(errno))")
        }
        return (fds[0], fds[1])
    }

    /// Starts `arguments[0]` (an absolute path) with `arguments`; `stdin`, `stdout` and `stderr`
    /// become descriptors 0, 1 and 2 (nil: /dev/null). Returns the child's pid.
    static func start(_ arguments: [String], environment: [String] = toolEnvironment,
                      stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws(PodNetworkError) -> pid_t {
        guard let program = arguments.first else { throw PodNetworkError(.invalidArgument, "no program to start") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        _ = addCloseFromFunction?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) }
        envp.append(nil)
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, program, &actions, &attributes, &argv, &envp)
        guard code == 0 else {
            throw PodNetworkError(code == ENOENT ? .unsupported : .commandFailed,
                                  "cannot start \(program): \(errorText(code))")
        }
        return pid
    }

    /// Waits for `pid` to end and returns its raw wait status (blocking).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return status
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
