import Glibc
import Spawning

/// The network side of TCP and HTTP probes: a non-blocking IPv4 socket whose waits are short
/// `poll`s between `Task.sleep`s, so a probe of a hung server holds no thread while it waits and
/// stops as soon as its task is cancelled (the container ended).
struct ProbeSocket: ~Copyable {
    /// How a connection attempt or exchange went wrong.
    enum Problem: Error, Equatable {
        case timedOut
        case failed(String)
    }

    let fd: Int32
    let endpoint: String

    /// Connects to `host:port` before `deadline`.
    static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) async throws(Problem) -> ProbeSocket {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(clamping: port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw .failed("\(host) is not an IPv4 address")
        }
        let endpoint = "\(host):\(port)"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed("cannot create a socket: \(LinuxCalls.errorText(errno))") }
        let socket = ProbeSocket(fd: fd, endpoint: endpoint)
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw .failed("connecting to \(endpoint): \(LinuxCalls.errorText(errno))")
            }
            guard await Self.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw .timedOut }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
            guard code == 0 else { throw .failed("connecting to \(endpoint): \(LinuxCalls.errorText(code))") }
        }
        return socket
    }

    deinit { close(fd) }

    /// Sends all of `bytes` before `deadline`.
    func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws(Problem) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                offset += count
                continue
            }
            guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .failed("sending to \(endpoint): \(LinuxCalls.errorText(errno))")
            }
            guard await Self.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw .timedOut }
        }
    }

    /// Reads until `complete` says the bytes so far suffice or the peer closes; returns the bytes.
    func receive(until complete: ([UInt8]) -> Bool, limit: Int = 8192,
                 deadline: ContinuousClock.Instant) async throws(Problem) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while !complete(received) && received.count < limit {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 {
                received += buffer[0..<count]
                continue
            }
            if count == 0 { break }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .failed("reading from \(endpoint): \(LinuxCalls.errorText(errno))")
            }
            guard await Self.wait(fd, for: Int16(POLLIN), until: deadline) else { throw .timedOut }
        }
        return received
    }

    /// Waits until `fd` is ready for `events` (true), or `deadline` passes or the task is
    /// cancelled (false). Polls without blocking, sleeping 1 ms at first and up to 20 ms between.
    static func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant) async -> Bool {
        var pause = 1
        while true {
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            if poll(&descriptor, 1, 0) > 0 && descriptor.revents != 0 { return true }
            if Task.isCancelled || ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 20)
        }
    }
}
