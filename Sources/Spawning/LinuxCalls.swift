import Glibc

/// Linux calls that `import Glibc` does not expose in Swift 6.3 (`pidfd_open`, `close_range`,
/// `posix_spawn_file_actions_addclosefrom_np`, `POSIX_SPAWN_SETSID`, `signalfd`, `pipe2`), looked up
/// once through `dlsym` so the package needs no C target. Each is optional: callers fall back when
/// it is nil.
public enum LinuxCalls {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias CloseRange = @convention(c) (UInt32, UInt32, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias SignalFD = @convention(c) (Int32, UnsafePointer<sigset_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    /// glibc's `clone(fn, stack, flags, arg, ...)`, called without its optional trailing
    /// arguments (it reads them only for flags this code does not pass).
    public typealias Clone = @convention(c) (@convention(c) (UnsafeMutableRawPointer?) -> Int32, UnsafeMutableRawPointer?,
                                      Int32, UnsafeMutableRawPointer?) -> Int32

    /// glibc's `POSIX_SPAWN_SETSID` (since 2.26): the child calls `setsid` before `exec`, so it is a
    /// session and process-group leader from its first instruction and a kill of its group can
    /// never race with its start.
    public static let posixSpawnSetSID: Int16 = 0x80

    /// `CLOSE_RANGE_CLOEXEC`: mark instead of close.
    public static let closeRangeCloexec: Int32 = 1 << 2

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }

    private static let pidfdOpenFunction: PidfdOpen? =
        symbol("pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }
    private static let closeRangeFunction: CloseRange? =
        symbol("close_range").map { unsafeBitCast($0, to: CloseRange.self) }
    private static let addCloseFromFunction: AddCloseFrom? =
        symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let signalFDFunction: SignalFD? = symbol("signalfd").map { unsafeBitCast($0, to: SignalFD.self) }
    private static let pipe2Function: Pipe2? = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addChdirFunction: AddChdir? =
        symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
    /// `clone`, for starting a child the way `posix_spawn` does (`cloneVM | cloneVfork`).
    public static let cloneFunction: Clone? = symbol("clone").map { unsafeBitCast($0, to: Clone.self) }
    public static let cloneVM: Int32 = 0x100
    public static let cloneVfork: Int32 = 0x4000

    /// A file descriptor that becomes readable when `pid` exits; -1 with `errno` on failure or nil
    /// when the C library lacks the call.
    public static func pidfdOpen(_ pid: pid_t) -> Int32? {
        pidfdOpenFunction.map { $0(pid, 0) }
    }

    /// Marks every descriptor from `first` up close-on-exec; false when unavailable.
    public static func markCloseOnExec(from first: Int32) -> Bool {
        guard let closeRange = closeRangeFunction else { return false }
        return closeRange(UInt32(first), UInt32.max, closeRangeCloexec) == 0
    }

    /// Whether `close_range` exists (looking it up early keeps `dlsym` out of forked children).
    public static var hasCloseRange: Bool { closeRangeFunction != nil }

    /// Closes every descriptor from `first` up; false when unavailable.
    public static func closeAll(from first: Int32) -> Bool {
        guard let closeRange = closeRangeFunction else { return false }
        return closeRange(UInt32(first), UInt32.max, 0) == 0
    }

    /// A non-blocking, close-on-exec descriptor that becomes readable when one of `signals` is
    /// pending (they must be blocked); -1 with `errno` on failure, nil when unavailable.
    public static func signalFD(_ signals: sigset_t) -> Int32? {
        guard let signalFD = signalFDFunction else { return nil }
        var mask = signals
        return signalFD(-1, &mask, O_NONBLOCK | O_CLOEXEC)
    }

    /// A pipe whose two ends are close-on-exec from the start, so a `posix_spawn` on another thread
    /// cannot inherit them; falls back to `pipe` and `fcntl`.
    public static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = pipe2Function {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard pipe(&fds) == 0 else { return nil }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }

    /// Adds "close every descriptor from `first` up" to spawn file actions; false when unavailable.
    public static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, from first: Int32) -> Bool {
        guard let addCloseFrom = addCloseFromFunction else { return false }
        return addCloseFrom(actions, first) == 0
    }

    /// Adds "change to `directory`" to spawn file actions; false when unavailable.
    public static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, to directory: String) -> Bool {
        guard let addChdir = addChdirFunction else { return false }
        return addChdir(actions, directory) == 0
    }

    public static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

extension LinuxCalls {
    /// Runs `body` with `posix_spawn` attributes for a child with default signal dispositions and
    /// an empty signal mask (this process's are not inherited), starting its own session when
    /// `newSession`.
    static func withSpawnAttributes<T>(newSession: Bool, _ body: (inout posix_spawnattr_t) -> T) -> T {
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
        let flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | (newSession ? posixSpawnSetSID : 0)
        posix_spawnattr_setflags(&attributes, flags)
        return body(&attributes)
    }
}
