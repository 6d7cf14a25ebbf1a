import Glibc
import Spawning

/// The resident launcher of the fairway binary (`fairway launcher-service --work-dir DIR`): a
/// small single-threaded process the agent starts once, which starts every task as its own child
/// and sets it up in the child (stdio, cgroups, session, sandbox, signals) before `execve`
/// (`LauncherServiceChild`: a vfork-style `clone`, or `fork`). Running our own code between fork
/// and exec is only safe in a process with one thread, which the multithreaded agent is not; this
/// process stays single-threaded for its whole life (no Foundation, Dispatch or Swift
/// concurrency: only Glibc calls and plain values) and checks `/proc/self/status` at start.
/// Starting a child of this small process costs a fraction of `exec`ing the ~100 MB binary per
/// task (`fairway launch`).
///
/// It listens on `WORK_DIR/launcher.sock` (mode 0600, peers of another user refused) for one agent
/// at a time (`LauncherServiceRequest`/`LauncherServiceReply` frames). Its tasks are its own
/// children, so it learns every exit status with `waitpid`, even while no agent is connected:
/// an agent restarted on the same work dir connects again and receives, in the first message,
/// the tasks still running and the exits it has not acknowledged. With nothing running and
/// nothing to report it exits after `idleGrace` seconds without an agent; unacknowledged exits
/// are kept for `recoveryTimeout` seconds. `WORK_DIR/launcher.lock` keeps it to one per work dir.
///
/// Start-up handshake: one line on stdout — `ready`, `running` (another service already serves
/// this work dir; connect to it), or `error: MESSAGE` — then stdout and stderr go to
/// `WORK_DIR/launcher-service.log`.
public enum LauncherService {
    /// The hidden subcommand; the fairway entry point hands it over before parsing anything else.
    public static let commandName = "launcher-service"
    static let socketName = "launcher.sock"
    static let lockName = "launcher.lock"
    static let logName = "launcher-service.log"

    struct Options: Equatable {
        var workDirectory: String
        var idleGrace: Double = 10
        var recoveryTimeout: Double = 900
    }

    /// Runs the service; never returns. `arguments` are those after the subcommand name:
    /// `--work-dir DIR [--idle-grace SECONDS] [--recovery-timeout SECONDS]`.
    public static func main(arguments: [String]) -> Never {
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error): refuse(error.description, status: 2)
        }
        if let problem = singleThreadedProblem() { refuse(problem, status: 1) }
        guard chdir(options.workDirectory) == 0 else {
            refuse("cannot enter the work dir \(options.workDirectory): \(LinuxCalls.errorText(errno))", status: 1)
        }
        let lock = open(lockName, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { refuse("cannot open \(options.workDirectory)/\(lockName): \(LinuxCalls.errorText(errno))", status: 1) }
        if flock(lock, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { refuse("cannot lock \(options.workDirectory)/\(lockName): \(LinuxCalls.errorText(errno))", status: 1) }
            handshake("running")
            exit(0)
        }
        let listener: Int32
        do {
            listener = try UnixSocket.listen(at: socketName)
        } catch {
            refuse("\(error)", status: 1)
        }
        let log = open(logName, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        if devNull >= 0 { dup2(devNull, 0) }
        if log >= 0 { dup2(log, 2) }

        // SIGCHLD is read through a signalfd, so it is blocked; a closed agent socket must not
        // kill the service. Children restore both before `exec`.
        signal(SIGPIPE, SIG_IGN)
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        var signalFD: Int32 = -1
        if sigprocmask(SIG_BLOCK, &childSignal, nil) == 0, let fd = LinuxCalls.signalFD(childSignal), fd >= 0 {
            signalFD = fd
        } else {
            sigprocmask(SIG_UNBLOCK, &childSignal, nil)
        }
        // Resolved now: a child must not be the first to touch them.
        _ = LinuxCalls.hasCloseRange
        _ = LinuxCalls.cloneFunction

        var loop = LauncherServiceLoop(listener: listener, signalFD: signalFD,
                                       ledger: LauncherServiceLedger(now: monotonicNow(), idleGrace: options.idleGrace,
                                                                     recoveryTimeout: options.recoveryTimeout))
        loop.log("started for \(options.workDirectory) (pid \(getpid()))")
        handshake("ready")
        if log >= 0 { dup2(log, 1) }
        loop.run()
    }

    /// Nil when this process has exactly one thread; otherwise why forking here is unsafe.
    public static func singleThreadedProblem() -> String? {
        guard let status = readSmallFile("/proc/self/status") else {
            return "cannot read /proc/self/status to check that the launcher service is single-threaded"
        }
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            let count = line.dropFirst("Threads:".count).drop(while: { $0 == " " || $0 == "\t" })
            if count == "1" { return nil }
            return "the launcher service must be single-threaded to fork safely, but this process has \(count) threads: start it as `fairway \(commandName)` before anything else runs"
        }
        return "/proc/self/status has no Threads line"
    }

    static func parse(_ arguments: [String]) -> Result<Options, AgentError> {
        var workDirectory: String?
        var options = Options(workDirectory: "")
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--work-dir":
                workDirectory = value()
            case "--idle-grace":
                guard let seconds = value().flatMap(Double.init), seconds >= 0 else { return .failure(AgentError("--idle-grace needs a number of seconds")) }
                options.idleGrace = seconds
            case "--recovery-timeout":
                guard let seconds = value().flatMap(Double.init), seconds >= 0 else { return .failure(AgentError("--recovery-timeout needs a number of seconds")) }
                options.recoveryTimeout = seconds
            default:
                return .failure(AgentError("unknown argument \(arguments[index]); usage: fairway \(commandName) --work-dir DIR [--idle-grace SECONDS] [--recovery-timeout SECONDS]"))
            }
            index += 1
        }
        guard let workDirectory, !workDirectory.isEmpty else {
            return .failure(AgentError("--work-dir DIR is required: the agent's work dir, where the service's socket lives"))
        }
        options.workDirectory = workDirectory
        return .success(options)
    }

    /// The arguments that start the service for `workDirectory`, after the executable.
    static func arguments(workDirectory: String, idleGrace: Double, recoveryTimeout: Double) -> [String] {
        [commandName, "--work-dir", workDirectory, "--idle-grace", String(idleGrace), "--recovery-timeout", String(recoveryTimeout)]
    }

    static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func handshake(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = write(1, bytes, bytes.count)
    }

    private static func refuse(_ message: String, status: Int32) -> Never {
        handshake("error: \(message)")
        let line = Array("fairway \(commandName): \(message)\n".utf8)
        _ = write(2, line, line.count)
        exit(status)
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
