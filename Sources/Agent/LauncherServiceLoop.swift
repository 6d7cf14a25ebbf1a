import Glibc
import Spawning

/// The launcher service's one `poll` loop: the listening socket, the agent connection and the
/// SIGCHLD signalfd. Requests are handled in the order they arrive (a launch starts its child at once);
/// replies are written in one `send` per batch of requests. The decisions (what to tell whom,
/// when to exit) are `LauncherServiceLedger`'s.
struct LauncherServiceLoop {
    private let listener: Int32
    /// -1 when `signalfd` is unavailable: then children are reaped on a short poll timeout.
    private let signalFD: Int32
    private var ledger: LauncherServiceLedger
    private var connection: Int32 = -1
    /// The process at the other end of `connection`.
    private var connectionPeer: pid_t = 0
    private var input = LauncherWire.FrameBuffer()
    private var output: [UInt8] = []
    private var readBuffer = [UInt8](repeating: 0, count: 65536)
    private let pid = getpid()
    /// The top of the stack children run on until they `exec` (one at a time: the service waits
    /// for each), or nil to `fork` instead.
    private let childStack: UnsafeMutableRawPointer?

    init(listener: Int32, signalFD: Int32, ledger: LauncherServiceLedger) {
        self.listener = listener
        self.signalFD = signalFD
        self.ledger = ledger
        childStack = Self.makeChildStack()
    }

    /// 1 MiB with a guard page below it.
    private static func makeChildStack() -> UnsafeMutableRawPointer? {
        let size = 1 << 20
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED else {
            return nil
        }
        _ = mprotect(base, page, PROT_NONE)
        return base + size
    }

    mutating func run() -> Never {
        while true {
            let now = LauncherService.monotonicNow()
            if ledger.shouldExit(now: now) {
                flush()
                log(ledger.stopping ? "stopped by the agent" : "no agent and nothing to report: exiting")
                unlink(LauncherService.socketName)  // still holding the lock: no other service uses it
                exit(0)
            }
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            let signalIndex = fds.count
            if signalFD >= 0 { fds.append(pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)) }
            let connectionIndex = fds.count
            if connection >= 0 {
                fds.append(pollfd(fd: connection, events: Int16(POLLIN) | (output.isEmpty ? 0 : Int16(POLLOUT)), revents: 0))
            }
            var timeout: Int32 = -1
            if let seconds = ledger.secondsUntilExitCheck(now: now) {
                timeout = Int32(min(seconds * 1000 + 1, 3_600_000))
            }
            if signalFD < 0 { timeout = timeout < 0 ? 20 : min(timeout, 20) }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                log("poll failed: \(LinuxCalls.errorText(errno)); exiting")
                exit(1)
            }
            if signalFD < 0 || fds[signalIndex].revents != 0 { reapChildren() }
            if connection >= 0, connectionIndex < fds.count, fds[connectionIndex].revents != 0 {
                let events = fds[connectionIndex].revents
                if events & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readRequests() }
                if connection >= 0 && events & Int16(POLLOUT) != 0 { flush() }
            }
            if fds[0].revents != 0 { acceptConnection() }
            flush()
        }
    }

    /// Takes a new agent connection. One agent at a time: a second one is refused while the first
    /// is connected and its process lives (two agents cannot share a work dir); a connection whose
    /// process is gone is replaced.
    private mutating func acceptConnection() {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard let peer = UnixSocket.peer(fd), peer.uid == geteuid() || peer.uid == 0 else {
            log("refused a connection from another user")
            close(fd)
            return
        }
        if connection >= 0 { readRequests() }  // a hang-up of the previous agent may be pending
        if connection >= 0 {
            if kill(connectionPeer, 0) == 0 || errno == EPERM {
                log("refused agent process \(peer.pid): agent process \(connectionPeer) is connected")
                _ = UnixSocket.sendAll(fd, LauncherServiceReply.failed(id: "", message: "another agent (pid \(connectionPeer)) is connected to this launcher service: two agents cannot share a work dir").frame())
                close(fd)
                return
            }
            log("agent process \(peer.pid) replaces the previous connection")
            disconnect()
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        connection = fd
        connectionPeer = peer.pid
        output = ledger.connected(servicePid: pid).frame()
    }

    private mutating func disconnect() {
        guard connection >= 0 else { return }
        close(connection)
        connection = -1
        input = LauncherWire.FrameBuffer()
        output = []
        ledger.disconnected(now: LauncherService.monotonicNow())
    }

    private mutating func readRequests() {
        while connection >= 0 {
            let count = read(connection, &readBuffer, readBuffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                disconnect()
                return
            }
            if count == 0 {
                disconnect()
                return
            }
            readBuffer.withUnsafeBytes { input.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            do {
                while let payload = try input.next() {
                    handle(try LauncherServiceRequest(payload: payload))
                }
            } catch {
                log("unreadable request from the agent (\(error)): dropping the connection")
                disconnect()
                return
            }
            if count < readBuffer.count { return }
        }
    }

    private mutating func handle(_ request: LauncherServiceRequest) {
        switch request {
        case .launch(let launch):
            start(launch)
        case .acknowledge(let ids):
            ledger.acknowledge(ids)
        case .shutdown:
            ledger.stop()
            let pids = ledger.runningPids
            if !pids.isEmpty { log("stopping: killing \(pids.count) task(s)") }
            for pid in pids {
                if kill(-pid, SIGKILL) != 0 { _ = kill(pid, SIGKILL) }
            }
        }
    }

    private mutating func start(_ request: LaunchRequest) {
        if let refusal = ledger.refusal(of: request.id) {
            reply(.failed(id: request.id, message: refusal))
            return
        }
        let child = LauncherServiceChild(request)
        let pid = child.start(stack: childStack)
        let code = errno
        child.release()
        guard pid > 0 else {
            reply(.failed(id: request.id, message: "the launcher service could not start a process: \(LinuxCalls.errorText(code))"))
            return
        }
        ledger.started(id: request.id, pid: pid)
        reply(.started(id: request.id, pid: pid))
    }

    /// Reaps every child that has ended. Its process group is killed first, while the zombie
    /// still holds the pid, so the kill cannot reach a process that reused the number.
    private mutating func reapChildren() {
        if signalFD >= 0 {
            var buffer = [UInt8](repeating: 0, count: 128 * 16)
            while read(signalFD, &buffer, buffer.count) > 0 {}
        }
        while true {
            var info = siginfo_t()
            info._sifields._sigchld.si_pid = 0
            guard waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return }
            let child = info._sifields._sigchld.si_pid
            guard child > 0 else { return }
            _ = kill(-child, SIGKILL)
            var status: Int32 = 0
            guard waitpid(child, &status, WNOHANG) == child else { return }
            if let reply = ledger.reaped(pid: child, status: status), connection >= 0 { self.reply(reply) }
        }
    }

    private mutating func reply(_ reply: LauncherServiceReply) {
        guard connection >= 0 else { return }
        output += reply.frame()
    }

    /// Writes what it can of the pending replies without blocking.
    private mutating func flush() {
        while connection >= 0 && !output.isEmpty {
            let sent = output.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if sent < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                disconnect()
                return
            }
            output.removeFirst(sent)
        }
    }

    func log(_ message: String) {
        let line = Array("fairway \(LauncherService.commandName)[\(pid)]: \(message)\n".utf8)
        _ = write(2, line, line.count)
    }
}
