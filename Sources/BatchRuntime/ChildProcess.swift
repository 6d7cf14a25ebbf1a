import Glibc
import Spawning

/// A user command (mapper, combiner or reducer) run as `/bin/sh -c COMMAND`, started through
/// `ChildSpawn`. Its stdin is a pipe we write, its stdout a pipe we read or a file, its stderr a pipe
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

        // Its own environment only, and it stays in the task's process group (no new session).
        let started = Result { () throws(ChildSpawn.Failure) -> pid_t in
            try ChildSpawn.start("/bin/sh", arguments: ["/bin/sh", "-c", command],
                                 environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                                 stdin: .descriptor(stdinPipe.read), stdout: .descriptor(childStdout),
                                 stderr: .descriptor(stderrPipe.write))
        }
        // The child has its copies; ours of the child's ends must go, or end-of-file never comes.
        Glibc.close(stdinPipe.read)
        if let stdoutPipe { Glibc.close(stdoutPipe.write) }
        Glibc.close(stderrPipe.write)
        switch started {
        case .success(let pid):
            return ChildProcess(pid: pid, command: command, input: stdinPipe.write, output: stdoutPipe?.read, errors: stderrPipe.read)
        case .failure(let failure):
            Glibc.close(stdinPipe.write)
            if let stdoutPipe { Glibc.close(stdoutPipe.read) }
            Glibc.close(stderrPipe.read)
            throw BatchRuntimeError("cannot start /bin/sh for `\(command)`: \(failure)")
        }
    }

    /// Waits for the child to end (blocking; call on a `JoinableThread` or in `runOnThread`).
    func wait() -> ChildExitStatus { ChildExitStatus(raw: ChildSpawn.wait(pid)) }
}
