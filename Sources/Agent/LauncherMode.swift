import Glibc
import Spawning

/// The launcher mode of the fairway binary: the first code that runs in a task's process. The
/// agent `posix_spawn`s it (never `fork`s) as a session leader with the task's environment and its
/// stdout/stderr already pointing at the sandbox files; it joins the task's cgroups by writing its
/// own pid into each `cgroup.procs`, moves into the sandbox, restores default signal handling and
/// `exec`s the task, which inherits all of that. Kept to a handful of system calls: it runs once
/// per task.
public enum LauncherMode {
    /// Never returns: either `exec`s the task or exits with `LauncherArguments.failureExitStatus`
    /// after writing why to the sandbox's error file and to stderr.
    public static func run(_ arguments: LauncherArguments) -> Never {
        let pid = getpid()
        for file in arguments.cgroupProcsFiles {
            let fd = open(file, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { fail("could not open \(file) to join the task's cgroup: \(LinuxCalls.errorText(errno))", arguments) }
            let text = Array("\(pid)\n".utf8)
            let written = write(fd, text, text.count)
            let code = errno
            close(fd)
            guard written == text.count else {
                fail("could not join the task's cgroup through \(file): \(LinuxCalls.errorText(code))", arguments)
            }
        }
        _ = setsid()  // already a session leader when spawned with POSIX_SPAWN_SETSID; harmless then
        guard chdir(arguments.sandbox) == 0 else {
            fail("could not enter the sandbox \(arguments.sandbox): \(LinuxCalls.errorText(errno))", arguments)
        }
        resetSignals()
        _ = LinuxCalls.markCloseOnExec(from: 3)

        let argv = arguments.command.arguments.isEmpty ? [arguments.command.program] : arguments.command.arguments
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        if arguments.command.searchPath {
            execvp(arguments.command.program, &cArguments)
        } else {
            execv(arguments.command.program, &cArguments)
        }
        fail("could not execute \(arguments.command.program): \(LinuxCalls.errorText(errno))", arguments)
    }

    /// Ignored signals stay ignored across `exec` and the mask is inherited: give the task the
    /// defaults a shell would (the Swift runtime and NIO ignore SIGPIPE, for one).
    private static func resetSignals() {
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP {
            Glibc.signal(Int32(signal), SIG_DFL)
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, nil)
    }

    private static func fail(_ message: String, _ arguments: LauncherArguments) -> Never {
        let line = Array("fairway launch: \(message)\n".utf8)
        _ = write(2, line, line.count)
        let path = arguments.sandbox + "/" + LauncherArguments.errorFileName
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd >= 0 {
            let text = Array(message.utf8)
            _ = write(fd, text, text.count)
            close(fd)
        }
        _exit(LauncherArguments.failureExitStatus)
    }
}
