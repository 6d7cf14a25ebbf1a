import Foundation
import Glibc
import Synchronization
import Spawning

/// Waits for the agent's task processes to end, on one dedicated thread per agent: each watched
/// pid gets a pidfd, the thread `poll`s them all (plus a wake-up pipe) and reaps exactly the pids
/// it was given with `waitpid(pid)`, never `waitpid(-1)`, so two agents in one process, or any
/// other child of the process, are left alone. A pid that is not our child (adopted after an agent
/// restart) is reported with an unknown exit status.
final class ChildReaper: Sendable {
    struct Exit: Sendable {
        var pid: pid_t
        var token: String
        var exit: ProcessExit
    }

    private struct Watched {
        var pid: pid_t
        var token: String
        var pidfd: Int32
    }

    private struct State {
        var watched: [Watched] = []
        /// Pids with no pidfd (the C library lacks pidfd_open): checked with WNOHANG on each tick.
        var polled: [(pid: pid_t, token: String)] = []
        var stopping = false
        var started = false
    }

    private let state = Mutex(State())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let onExitHandler = Mutex<(@Sendable (Exit) -> Void)?>(nil)

    init() throws(AgentError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw AgentError("could not create the reaper's wake-up pipe: \(LinuxCalls.errorText(errno))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    /// Starts the thread; `onExit` is called on it for every watched process that ends.
    func start(onExit: @escaping @Sendable (Exit) -> Void) {
        onExitHandler.withLock { $0 = onExit }
        let shouldStart = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "fairway-agent-reaper"
        thread.start()
    }

    /// Starts watching `pid`; `token` comes back with its exit.
    func watch(pid: pid_t, token: String) {
        let opened = LinuxCalls.pidfdOpen(pid)
        let pidfd = opened ?? -1
        if pidfd < 0 {
            if opened != nil && errno == ESRCH {
                // Already gone and reaped by someone else (an adopted process).
                onExit(Exit(pid: pid, token: token, exit: .unknown))
                return
            }
            state.withLock { $0.polled.append((pid, token)) }
        } else {
            _ = fcntl(pidfd, F_SETFD, FD_CLOEXEC)
            state.withLock { $0.watched.append(Watched(pid: pid, token: token, pidfd: pidfd)) }
        }
        wake()
    }

    /// Stops the thread; processes still running are no longer watched.
    func stop() {
        state.withLock { $0.stopping = true }
        wake()
    }

    private func onExit(_ exit: Exit) {
        onExitHandler.withLock { $0 }?(exit)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let (watched, hasPolled, stopping) = state.withLock { ($0.watched, !$0.polled.isEmpty, $0.stopping) }
            if stopping { break }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            fds += watched.map { pollfd(fd: $0.pidfd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), hasPolled ? 50 : -1)
            if ready < 0 && errno != EINTR { break }
            if fds[0].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
            }
            for (index, entry) in watched.enumerated() where fds[index + 1].revents != 0 {
                reap(entry.pid, token: entry.token, pidfd: entry.pidfd)
            }
            if hasPolled { reapPolled() }
        }
        let remaining = state.withLock { state -> [Watched] in
            defer { state.watched = [] }
            return state.watched
        }
        for entry in remaining { close(entry.pidfd) }
        close(wakeRead)
        close(wakeWrite)
    }

    private func reap(_ pid: pid_t, token: String, pidfd: Int32) {
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
        if result == 0 { return }  // not yet (should not happen once the pidfd is readable)
        state.withLock { $0.watched.removeAll { $0.pidfd == pidfd } }
        close(pidfd)
        onExit(Exit(pid: pid, token: token, exit: result == pid ? ProcessExit(waitStatus: status) : .unknown))
    }

    private func reapPolled() {
        let polled = state.withLock { $0.polled }
        for (pid, token) in polled {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            let exit: ProcessExit
            if result == pid {
                exit = ProcessExit(waitStatus: status)
            } else if result < 0 && errno == ECHILD {
                guard kill(pid, 0) != 0 && errno == ESRCH else { continue }  // adopted, still alive
                exit = .unknown
            } else {
                continue
            }
            state.withLock { $0.polled.removeAll { $0.pid == pid } }
            onExit(Exit(pid: pid, token: token, exit: exit))
        }
    }
}
