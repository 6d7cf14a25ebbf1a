import Glibc

/// Close-on-exec pipes and the spawn action that closes stray descriptors, through `dlsym` because
/// `import Glibc` does not expose `pipe2` or `posix_spawn_file_actions_addclosefrom_np`.
enum Pipes {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let pipe2Function: Pipe2? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addCloseFromFunction: AddCloseFrom? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    static func make() throws(BatchRuntimeError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result: Int32
        if let pipe2 = pipe2Function {
            result = pipe2(&fds, O_CLOEXEC)
        } else {
            result = pipe(&fds)
            if result == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        }
        guard result == 0 else {
            throw BatchRuntimeError("cannot create a pipe: \(POSIXFiles.errorText(errno))")
        }
        return (fds[0], fds[1])
    }

    static func close(_ pipe: (read: Int32, write: Int32)) {
        Glibc.close(pipe.read)
        Glibc.close(pipe.write)
    }

    /// Makes the child close every descriptor from `first` up that is not close-on-exec (one that
    /// some library opened without the flag); skipped where glibc lacks the call.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ first: Int32) {
        _ = addCloseFromFunction?(actions, first)
    }
}
