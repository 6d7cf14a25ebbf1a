import Glibc

/// Linux calls that `import Glibc` does not expose in Swift 6.3 (`pidfd_open`, `close_range`,
/// `posix_spawn_file_actions_addclosefrom_np`, `POSIX_SPAWN_SETSID`), looked up once through
/// `dlsym` so the package needs no C target. Each is optional: callers fall back when it is nil.
enum LinuxCalls {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias CloseRange = @convention(c) (UInt32, UInt32, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `POSIX_SPAWN_SETSID` (since 2.26): the child calls `setsid` before `exec`, so it is a
    /// session and process-group leader from its first instruction and a kill of its group can
    /// never race with its start.
    static let posixSpawnSetSID: Int16 = 0x80

    /// `CLOSE_RANGE_CLOEXEC`: mark instead of close.
    static let closeRangeCloexec: Int32 = 1 << 2

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }

    private static let pidfdOpenFunction: PidfdOpen? =
        symbol("pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }
    private static let closeRangeFunction: CloseRange? =
        symbol("close_range").map { unsafeBitCast($0, to: CloseRange.self) }
    private static let addCloseFromFunction: AddCloseFrom? =
        symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// A file descriptor that becomes readable when `pid` exits; -1 with `errno` on failure or nil
    /// when the C library lacks the call.
    static func pidfdOpen(_ pid: pid_t) -> Int32? {
        pidfdOpenFunction.map { $0(pid, 0) }
    }

    /// Marks every descriptor from `first` up close-on-exec; false when unavailable.
    static func markCloseOnExec(from first: Int32) -> Bool {
        guard let closeRange = closeRangeFunction else { return false }
        return closeRange(UInt32(first), UInt32.max, closeRangeCloexec) == 0
    }

    /// Adds "close every descriptor from `first` up" to spawn file actions; false when unavailable.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, from first: Int32) -> Bool {
        guard let addCloseFrom = addCloseFromFunction else { return false }
        return addCloseFrom(actions, first) == 0
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
