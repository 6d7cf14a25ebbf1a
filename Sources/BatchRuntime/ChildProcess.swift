import Glibc

/// A user command (mapper, combiner or reducer) run as `/bin/sh -c COMMAND`, started with
/// `posix_spawn` (glibc uses `clone(CLONE_VM|CLONE_VFORK)`, never a `fork` of this multithreaded
/// process). Its stdin is a pipe we write, its stdout a pipe we read or a file, its stderr a pipe
/// that `StderrTee` copies to the task's stderr while keeping the tail for the failure message.
///
/// Every pipe end is close-on-exec from birth, so a command started at the same time elsewhere in
/// the process cannot inherit one and keep it open (which would hide end-of-file). The child stays
/// in the task's process group, so the agent's kill of the task kills the command too.
struct ChildProcess: Sendable {
    enum Output: Sendable {
        case pipe
        case file(Int32)
    }

    let pid: pid_t
    let command: String
    /// Our end of the child's stdin.
    let input: Int32
    /// Our end of the child's stdout when it is a pipe.
    let output: Int32?
    /// Our end of the child's stderr.
    let errors: Int32

    /// Starts `/bin/sh -c command` with exactly `environment` as its environment.
    static func startShell(_ command: String, environment: [String: String], stdout: Output) throws(BatchRuntimeError) -> ChildProcess {
        let stdinPipe = try Pipes.make()
        var stdoutPipe: (read: Int32, write: Int32)?
        let stderrPipe: (read: Int32, write: Int32)
        do {
            if case .pipe = stdout { stdoutPipe = try Pipes.make() }
            stderrPipe = try Pipes.make()
        } catch {
            Pipes.close(stdinPipe)
            if let stdoutPipe { Pipes.close(stdoutPipe) }
            throw error
        }
        let childStdout: Int32 = switch stdout {
        case .pipe: stdoutPipe?.write ?? -1
        case .file(let fd): fd
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        posix_spawn_file_actions_adddup2(&actions, childStdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        Pipes.addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default dispositions (this process ignores SIGPIPE; `yes | head` in a command must not)
        // and an empty signal mask.
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments: [String] = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        envp.append(nil)
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, &envp)
        // The child has its copies; ours of the child's ends must go, or end-of-file never comes.
        Glibc.close(stdinPipe.read)
        if let stdoutPipe { Glibc.close(stdoutPipe.write) }
        Glibc.close(stderrPipe.write)
        guard code == 0 else {
            Glibc.close(stdinPipe.write)
            if let stdoutPipe { Glibc.close(stdoutPipe.read) }
            Glibc.close(stderrPipe.read)
            throw BatchRuntimeError("cannot start /bin/sh for `\(command)`: \(POSIXFiles.errorText(code))")
        }
        return ChildProcess(pid: pid, command: command, input: stdinPipe.write, output: stdoutPipe?.read, errors: stderrPipe.read)
    }

    /// Waits for the child to end (blocking; call on a `JoinableThread` or in `runOnThread`).
    func wait() -> ChildExitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return ChildExitStatus(raw: -1) }
        }
        return ChildExitStatus(raw: status)
    }
}
