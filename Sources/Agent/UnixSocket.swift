import Glibc
import Spawning

/// Unix stream sockets for the agent and its launcher service, with plain Glibc calls (the
/// service side must not touch anything that could start a thread). The socket lives in the
/// agent's work dir; a path longer than `sun_path` allows is reached through `/proc/self/fd/N/…`
/// of the directory, and the service binds a path relative to its working directory.
enum UnixSocket {
    /// A listening socket bound to `path` (relative to the working directory is fine), only for
    /// this user (mode 0600), non-blocking and close-on-exec. A stale socket file is replaced: the
    /// caller holds the lock that says no other service uses it.
    static func listen(at path: String) throws(AgentError) -> Int32 {
        guard var address = address(path) else {
            throw AgentError("the socket path \(path) is longer than \(maximumPathLength) bytes")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw AgentError("could not create a Unix socket: \(LinuxCalls.errorText(errno))") }
        unlink(path)
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bindError = errno
        umask(previous)
        guard bound == 0 else {
            close(fd)
            throw AgentError("could not bind the Unix socket \(path): \(LinuxCalls.errorText(bindError))")
        }
        guard Glibc.listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw AgentError("could not listen on the Unix socket \(path): \(LinuxCalls.errorText(code))")
        }
        return fd
    }

    /// Connects to the socket at the absolute `path` (blocking, close-on-exec). Returns the
    /// descriptor, or -1 with the `errno` value (ENOENT or ECONNREFUSED: nobody listens).
    static func connect(to path: String) -> (fd: Int32, error: Int32) {
        var directoryFD: Int32 = -1
        defer { if directoryFD >= 0 { close(directoryFD) } }
        var target = path
        if path.utf8.count > maximumPathLength, let slash = path.lastIndex(of: "/") {
            directoryFD = open(String(path[..<slash]), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryFD >= 0 else { return (-1, errno) }
            target = "/proc/self/fd/\(directoryFD)/" + path[path.index(after: slash)...]
        }
        guard var address = address(target) else { return (-1, ENAMETOOLONG) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return (-1, errno) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            return (-1, code)
        }
        return (fd, 0)
    }

    /// The process id and user id of the process at the other end (`SO_PEERCRED`), or nil.
    static func peer(_ fd: Int32) -> (pid: pid_t, uid: uid_t)? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        var credentials: (Int32, UInt32, UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return (credentials.0, credentials.1)
    }

    /// Writes all of `bytes` to a blocking descriptor (no SIGPIPE); false if the peer is gone.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    static let maximumPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    private static func address(_ path: String) -> sockaddr_un? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumPathLength else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }
}
