import Foundation
import Glibc
import Logging
import Synchronization
import Spawning

/// The agent's side of its launcher service (`LauncherService`): connects to the service of its
/// work dir, starting it first if none runs (`posix_spawn` of the fairway binary, never `fork`),
/// sends launch requests and acknowledgements, and hands the service's replies to `onEvent` from
/// one reader thread per connection. Requests are pipelined: `launch` returns once the request is
/// written; the pid comes back as `started`.
///
/// Two agents (two work dirs) have two services, in one process or not. A service this process
/// started is its child and is reaped here when it ends, by whichever client sees it go.
final class LauncherServiceClient: Sendable {
    enum Event: Sendable, Equatable {
        case started(id: String, pid: Int32)
        case failed(id: String, message: String)
        /// `status` is the raw `waitpid` status word.
        case exited(id: String, pid: Int32, status: Int32)
        /// The connection broke without the agent asking: the service died.
        case lost(reason: String)
    }

    private struct Connection: Sendable {
        var fd: Int32
        var servicePid: Int32
        var generation: Int
    }

    private struct State: Sendable {
        var connection: Connection?
        /// Bytes that came after the snapshot, for the reader thread.
        var leftover: [UInt8] = []
        var closing = false
        var readerRunning = false
        var generation = 0
    }

    let executable: String
    let workDirectory: String
    let socketPath: String
    let idleGrace: Double
    let recoveryTimeout: Double
    let logger: Logger
    private let state = Mutex(State())
    private let writeLock = Mutex(())
    /// Pids of the services this process started: its children, to be reaped.
    static let spawned = Mutex<Set<Int32>>([])

    init(executable: String, workDirectory: String, idleGrace: Double = 10, recoveryTimeout: Double = 900, logger: Logger) {
        self.executable = executable
        self.workDirectory = workDirectory
        socketPath = workDirectory + "/" + LauncherService.socketName
        self.idleGrace = idleGrace
        self.recoveryTimeout = recoveryTimeout
        self.logger = logger
    }

    /// The pid of the connected service.
    var servicePid: Int32? { state.withLock { $0.connection?.servicePid } }

    var isConnected: Bool { state.withLock { $0.connection != nil } }

    /// Connects (starting the service if none answers) and returns what it runs and what ended
    /// while no agent listened. Replies are held back until `startReading`, so the caller can
    /// take over the snapshot's tasks first.
    func connect() throws(AgentError) -> LauncherServiceSnapshot {
        var lastProblem = "no launcher service answered at \(socketPath)"
        for attempt in 0..<6 {
            let (fd, code) = UnixSocket.connect(to: socketPath)
            if fd >= 0 {
                switch Self.readSnapshot(fd) {
                case .success(let (snapshot, leftover)):
                    state.withLock { state in
                        state.generation += 1
                        state.connection = Connection(fd: fd, servicePid: snapshot.servicePid, generation: state.generation)
                        state.leftover = leftover
                        state.closing = false
                    }
                    return snapshot
                case .failure(let problem):
                    close(fd)
                    lastProblem = problem.message
                    if problem.permanent { throw AgentError(problem.message) }
                }
            } else if code == ENOENT || code == ECONNREFUSED {
                try startService()
                continue
            } else {
                lastProblem = "could not connect to the launcher service at \(socketPath): \(LinuxCalls.errorText(code))"
            }
            usleep(UInt32(20_000 * (attempt + 1)))  // a service that is exiting: start another
        }
        throw AgentError("could not reach the launcher service of \(workDirectory): \(lastProblem)")
    }

    /// Starts the reader thread for the current connection; `onEvent` gets every reply after the
    /// snapshot, in order, on that thread.
    func startReading(onEvent: @escaping @Sendable (Event) -> Void) {
        let started = state.withLock { state -> (Connection, [UInt8])? in
            guard let connection = state.connection, !state.readerRunning else { return nil }
            state.readerRunning = true
            defer { state.leftover = [] }
            return (connection, state.leftover)
        }
        guard let (connection, leftover) = started else { return }
        let thread = Thread { [self] in self.readLoop(connection, leftover: leftover, onEvent: onEvent) }
        thread.name = "fairway-launcher-client"
        thread.start()
    }

    /// Sends launch requests in one write. Throws when no service is connected or it is gone.
    func launch(_ requests: [LaunchRequest]) throws(AgentError) {
        guard !requests.isEmpty else { return }
        var bytes: [UInt8] = []
        for request in requests { bytes += LauncherServiceRequest.launch(request).frame() }
        switch withConnection({ UnixSocket.sendAll($0, bytes) }) {
        case nil: throw AgentError("the launcher service is not connected")
        case false?: throw AgentError("the launcher service is gone (its connection broke while sending a launch request)")
        case true?: return
        }
    }

    /// Tells the service these exits are recorded, so it forgets them.
    func acknowledge(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        let bytes = LauncherServiceRequest.acknowledge(ids).frame()
        _ = withConnection { UnixSocket.sendAll($0, bytes) }
    }

    /// Closes the connection and leaves the service running with its tasks, for the next agent.
    func detach() {
        let target = state.withLock { state -> (Connection, Bool)? in
            guard let connection = state.connection else { return nil }
            state.closing = true
            if !state.readerRunning { state.connection = nil }
            return (connection, state.readerRunning)
        }
        guard let (connection, readerRunning) = target else { return }
        writeLock.withLock { _ in
            if readerRunning {
                // The reader sees EOF, then closes the descriptor (under this lock) and ends.
                if state.withLock({ $0.connection?.generation == connection.generation }) {
                    _ = shutdown(connection.fd, Int32(SHUT_RDWR))
                }
            } else {
                close(connection.fd)
            }
        }
    }

    /// Asks the service to kill what still runs and exit, waits up to `timeout` seconds for it to
    /// go (reaping it if this process started it), then closes the connection.
    func stop(timeout: Double = 10) async {
        let bytes = LauncherServiceRequest.shutdown.frame()
        guard let connection = state.withLock({ state -> Connection? in
            guard let connection = state.connection, !state.closing else { return nil }
            state.closing = true  // the connection's end is expected now
            return connection
        }) else { return }
        _ = writeLock.withLock { _ in
            state.withLock({ $0.connection?.generation == connection.generation }) ? UnixSocket.sendAll(connection.fd, bytes) : false
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, Self.isAlive(connection.servicePid) {
            if Self.reapIfOurs(connection.servicePid) { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        detach()
        _ = Self.reapIfOurs(connection.servicePid)
    }

    /// Runs `body` with the connection's descriptor under the write lock (so the reader cannot
    /// close it meanwhile); nil when there is no usable connection.
    private func withConnection<T>(_ body: (Int32) -> T) -> T? {
        writeLock.withLock { _ in
            guard let fd = state.withLock({ $0.closing ? nil : $0.connection?.fd }) else { return nil }
            return body(fd)
        }
    }

    private func readLoop(_ connection: Connection, leftover: [UInt8], onEvent: @Sendable (Event) -> Void) {
        var frames = LauncherWire.FrameBuffer()
        leftover.withUnsafeBytes { frames.append($0) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var reason = "its connection closed"
        reading: while true {
            do {
                while let payload = try frames.next() {
                    if let event = Self.event(for: try LauncherServiceReply(payload: payload)) { onEvent(event) }
                }
            } catch {
                reason = "it sent an unreadable reply (\(error))"
                break reading
            }
            let count = read(connection.fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                if count < 0 { reason = "reading its connection failed: \(LinuxCalls.errorText(errno))" }
                break
            }
            buffer.withUnsafeBytes { frames.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        let closing = state.withLock { state -> Bool in
            let mine = state.connection?.generation == connection.generation
            if mine {
                state.connection = nil
                state.readerRunning = false
            }
            return state.closing || !mine
        }
        writeLock.withLock { _ in _ = close(connection.fd) }
        guard !closing else { return }
        // The service went away on its own: collect it if it is our child, then say so.
        var waited = 0
        while waited < 100 && !Self.reapIfOurs(connection.servicePid) && Self.isAlive(connection.servicePid) {
            usleep(10_000)
            waited += 1
        }
        onEvent(.lost(reason: "the launcher service (pid \(connection.servicePid)) went away: \(reason)"))
    }

    private static func event(for reply: LauncherServiceReply) -> Event? {
        switch reply {
        case .snapshot: nil
        case .started(let id, let pid): .started(id: id, pid: pid)
        case .failed(let id, let message): .failed(id: id, message: message)
        case .exited(let id, let pid, let status): .exited(id: id, pid: pid, status: status)
        }
    }
}
