import Foundation
import Glibc
import Logging
import Synchronization
import Spawning

/// A running dnsmasq that dies with us. It is our child (so we can stop it and reap it), and a
/// tiny watchdog (`sh`, reading a pipe only we hold open) sends it SIGTERM when that pipe closes,
/// which is when this process ends, however it ends. A waiter thread sees dnsmasq exit, retires
/// the watchdog first (so it can never signal a reused pid), then reaps dnsmasq.
final class DnsmasqProcess: Sendable {
    private struct State {
        var reaped = false
        var stopping = false
        /// Set once dnsmasq answered: an exit after that is news, one during `start` is its error.
        var ready = false
        var status: Int32 = 0
        var watchdogPipe: Int32
    }

    let pid: pid_t
    let logPath: String
    private let watchdog: pid_t
    private let state: Mutex<State>
    private let logger: Logger

    private init(pid: pid_t, watchdog: pid_t, watchdogPipe: Int32, logPath: String, logger: Logger) {
        self.pid = pid
        self.watchdog = watchdog
        self.logPath = logPath
        self.logger = logger
        self.state = Mutex(State(watchdogPipe: watchdogPipe))
    }

    /// Starts `arguments` (dnsmasq in the foreground) with its output in `logPath`, and its watchdog.
    static func start(_ arguments: [String], logPath: String, logger: Logger) throws(PodNetworkError) -> DnsmasqProcess {
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw PodNetworkError(.io, "cannot open \(logPath): \(LinuxCalls.errorText(errno))") }
        defer { close(log) }
        let pid = try Spawn.start(arguments, stdout: log, stderr: log)
        let pipe: (read: Int32, write: Int32)
        let watchdog: pid_t
        do throws(PodNetworkError) {
            pipe = try Spawn.pipe()
            defer { close(pipe.read) }
            do throws(PodNetworkError) {
                watchdog = try Spawn.start(["/bin/sh", "-c", "read _; kill -TERM \(pid)"], stdin: pipe.read)
            } catch {
                close(pipe.write)
                throw error
            }
        } catch {
            kill(pid, SIGKILL)
            _ = ChildSpawn.wait(pid)
            throw error
        }
        let process = DnsmasqProcess(pid: pid, watchdog: watchdog, watchdogPipe: pipe.write, logPath: logPath, logger: logger)
        let thread = Thread { process.waitForExit() }
        thread.name = "fairway-dnsmasq-waiter"
        thread.start()
        return process
    }

    /// Records that dnsmasq answers, so a later exit is logged as an outage.
    func markReady() {
        state.withLock { $0.ready = true }
    }

    /// Closes our end of the watchdog's pipe, as our exit would: the watchdog then stops dnsmasq.
    func closeWatchdogPipe() {
        state.withLock { state in
            if state.watchdogPipe >= 0 {
                close(state.watchdogPipe)
                state.watchdogPipe = -1
            }
        }
    }

    /// Whether dnsmasq has exited (and been reaped).
    var hasExited: Bool { state.withLock { $0.reaped } }

    /// The last lines dnsmasq wrote, for error messages.
    var logTail: String {
        let lines = (ClaimFiles.read(logPath) ?? "").split(separator: "\n").suffix(8)
        return lines.joined(separator: "\n")
    }

    /// Sends `signal` unless dnsmasq has been reaped (its pid could then belong to someone else).
    func signal(_ signal: Int32) {
        state.withLock { state in
            if !state.reaped { kill(pid, signal) }
        }
    }

    /// Stops dnsmasq: SIGTERM, then SIGKILL if it is still there after `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        state.withLock { $0.stopping = true }
        signal(SIGTERM)
        if await waitUntilExited(deadline: .now + grace) { return }
        signal(SIGKILL)
        _ = await waitUntilExited(deadline: .now + .seconds(5))
    }

    /// Polls until dnsmasq is reaped; false at the deadline.
    func waitUntilExited(deadline: ContinuousClock.Instant) async -> Bool {
        while !hasExited {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// On the waiter thread: wait without reaping, retire the watchdog, then reap.
    private func waitForExit() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { break }
        }
        kill(watchdog, SIGKILL)
        _ = ChildSpawn.wait(watchdog)
        let (status, unexpected) = state.withLock { state -> (Int32, Bool) in
            state.status = ChildSpawn.wait(pid)  // a zombie by now: returns at once
            state.reaped = true
            if state.watchdogPipe >= 0 {
                close(state.watchdogPipe)
                state.watchdogPipe = -1
            }
            return (state.status, state.ready && !state.stopping)
        }
        if unexpected {
            logger.error("dnsmasq exited unexpectedly: cluster DNS is down until it is started again", metadata: [
                "pid": "\(pid)", "status": "\(status)", "log": "\(logTail)"])
        }
    }
}
