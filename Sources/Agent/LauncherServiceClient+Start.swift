import Glibc
import Spawning

/// Starting the service and the first exchange on a connection.
extension LauncherServiceClient {
    struct ConnectProblem: Error {
        var message: String
        /// Retrying will not help (another protocol version, a reply out of order).
        var permanent: Bool
    }

    /// `posix_spawn`s `fairway launcher-service` for the work dir (its own session, default
    /// signals, stdin from /dev/null, stdout a pipe for the one-line handshake, stderr the
    /// agent's) and waits for `ready` or `running`. The service stays this process's child.
    func startService(timeout: Double = 30) throws(AgentError) {
        guard let pipe = LinuxCalls.closeOnExecPipe() else {
            throw AgentError("could not create a pipe to start the launcher service: \(LinuxCalls.errorText(errno))")
        }
        var readEnd: Int32 = pipe.read
        defer { close(readEnd) }
        let argv = [executable] + LauncherService.arguments(workDirectory: workDirectory, idleGrace: idleGrace,
                                                             recoveryTimeout: recoveryTimeout)
        let pid: pid_t
        do {
            defer { close(pipe.write) }
            pid = try ChildSpawn.start(executable, arguments: argv, environment: nil, stdin: .devNull, stdout: .descriptor(pipe.write),
                                       stderr: .inherited, newSession: true)
        } catch {
            throw AgentError("could not start the launcher service \(executable): \(error)")
        }

        let line = Self.readLine(readEnd, timeout: timeout)
        close(readEnd)
        readEnd = -1
        if line == "ready" {
            Self.spawned.withLock { _ = $0.insert(pid) }
            logger.info("started the launcher service (pid \(pid)) for \(workDirectory)")
            return
        }
        if line == nil { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        switch line {
        case "running":
            return  // another service holds the lock: connect to it
        case let line? where line.hasPrefix("error: "):
            throw AgentError("the launcher service refused to start: \(line.dropFirst("error: ".count))")
        case nil:
            throw AgentError("the launcher service (\(executable) \(LauncherService.commandName)) did not start within \(Int(timeout)) s; see \(workDirectory)/\(LauncherService.logName)")
        case let line?:
            throw AgentError("the launcher service (\(executable) \(LauncherService.commandName)) \(ProcessExit(waitStatus: status)) before it was ready\(line.isEmpty ? "" : ", saying '\(line)'"): is \(executable) a fairway binary of this version?")
        }
    }

    /// Reads the first message of a connection, which must be the snapshot.
    static func readSnapshot(_ fd: Int32, timeout: Double = 15) -> Result<(LauncherServiceSnapshot, [UInt8]), ConnectProblem> {
        var frames = LauncherWire.FrameBuffer()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = LauncherService.monotonicNow() + timeout
        while true {
            do {
                if let payload = try frames.next() {
                    switch try LauncherServiceReply(payload: payload) {
                    case .snapshot(let snapshot):
                        return .success((snapshot, frames.remainingBytes))
                    case .failed(_, let message):
                        return .failure(ConnectProblem(message: "the launcher service refused this agent: \(message)", permanent: true))
                    default:
                        return .failure(ConnectProblem(message: "the launcher service did not start the connection with its snapshot", permanent: true))
                    }
                }
            } catch {
                return .failure(ConnectProblem(message: "unreadable first reply from the launcher service: \(error)", permanent: true))
            }
            let left = deadline - LauncherService.monotonicNow()
            guard left > 0 else {
                return .failure(ConnectProblem(message: "the launcher service did not answer within \(Int(timeout)) s", permanent: false))
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, Int32(left * 1000) + 1) < 0 && errno != EINTR {
                return .failure(ConnectProblem(message: "poll failed: \(LinuxCalls.errorText(errno))", permanent: false))
            }
            guard descriptor.revents != 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                return .failure(ConnectProblem(message: "the launcher service closed the connection before answering (it was exiting)", permanent: false))
            }
            buffer.withUnsafeBytes { frames.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// The handshake line, or nil on timeout; "" when the pipe closed without one.
    private static func readLine(_ fd: Int32, timeout: Double) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        let deadline = LauncherService.monotonicNow() + timeout
        while true {
            let left = deadline - LauncherService.monotonicNow()
            guard left > 0 else { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(left * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return ready == 0 ? nil : "" }
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reaps `pid` if this process started it and it has ended; true once it is reaped.
    static func reapIfOurs(_ pid: Int32) -> Bool {
        guard spawned.withLock({ $0.contains(pid) }) else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid || (result < 0 && errno == ECHILD) else { return false }
        spawned.withLock { _ = $0.remove(pid) }
        return true
    }

    /// Whether `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, let stat = CgroupFiles.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let rest = stat[stat.index(after: close)...].drop { $0 == " " }
        return !(rest.first == "Z" || rest.first == "X")
    }
}
