import Glibc
import Spawning

/// The network tools we run (ip, dnsmasq, nsenter…), started through `ChildSpawn` with a plain
/// environment, their output where the caller wants it.
enum Spawn {
    /// The environment of the tools we run: a plain PATH and the C locale, so error text is stable.
    static let toolEnvironment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]

    /// A pipe whose ends are close-on-exec from birth, so a spawn elsewhere cannot inherit them.
    static func pipe() throws(PodNetworkError) -> (read: Int32, write: Int32) {
        guard let pipe = LinuxCalls.closeOnExecPipe() else {
            throw PodNetworkError(.io, "cannot create a pipe: \(LinuxCalls.errorText(errno))")
        }
        return pipe
    }

    /// A connected pair of close-on-exec stream sockets (our end first is `.write`).
    static func socketPair() throws(PodNetworkError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw PodNetworkError(.io, "cannot create a socket pair: \(LinuxCalls.errorText(errno))")
        }
        return (fds[0], fds[1])
    }

    /// Starts `arguments[0]` (an absolute path) with `arguments`; `stdin`, `stdout` and `stderr`
    /// become descriptors 0, 1 and 2 (nil: /dev/null). Returns the child's pid.
    static func start(_ arguments: [String], environment: [String] = toolEnvironment,
                      stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws(PodNetworkError) -> pid_t {
        guard let program = arguments.first else { throw PodNetworkError(.invalidArgument, "no program to start") }
        func stream(_ descriptor: Int32?) -> ChildSpawn.Stream { descriptor.map { .descriptor($0) } ?? .devNull }
        do {
            return try ChildSpawn.start(program, arguments: arguments, environment: environment,
                                        stdin: stream(stdin), stdout: stream(stdout), stderr: stream(stderr))
        } catch {
            throw PodNetworkError(error.code == ENOENT ? .unsupported : .commandFailed, "cannot start \(program): \(error)")
        }
    }

}
