import Glibc
import Spawning

/// One launch request turned into C memory before the child exists, and the code the child runs:
/// stdin from /dev/null, stdout and stderr appended to the sandbox files, join the cgroups, new
/// session, enter the sandbox, default signal handling, close inherited descriptors, `execve`.
/// Any failure is written to the sandbox's launch error file and ends the child with
/// `LauncherArguments.failureExitStatus`, exactly as `fairway launch` reports it, so the agent
/// classifies it the same way whichever launcher ran.
///
/// The child is started like `posix_spawn` does it: `clone(CLONE_VM | CLONE_VFORK)` on a stack of
/// its own, sharing the (suspended, single-threaded) service's memory until it `exec`s, which
/// saves copying the service's page tables for every task. So the child must not allocate or
/// touch reference-counted values: this type holds only raw pointers prepared by the parent, and
/// `run` makes system calls on them. Without `clone` in the C library it falls back to `fork`.
struct LauncherServiceChild {
    private typealias CString = UnsafeMutablePointer<CChar>
    private typealias CStringList = UnsafeMutablePointer<CString?>

    private let argv: CStringList
    private let envp: CStringList
    /// Paths to try with `execve`, in order (one, or one per `PATH` entry), nil-terminated.
    private let candidates: CStringList
    /// `sh CANDIDATE ARGS…` for a script without `#!` (slot 1 is filled in by the child).
    private let shellArgv: CStringList
    private let cgroupProcsFiles: CStringList
    private let program: CString
    private let searchedPath: CString?
    private let sandbox: CString
    private let stdoutPath: CString
    private let stderrPath: CString
    private let errorPath: CString
    /// Room for the child's pid as text.
    private let pidText: UnsafeMutablePointer<UInt8>

    init(_ request: LaunchRequest) {
        let arguments = request.command.arguments.isEmpty ? [request.command.program] : request.command.arguments
        argv = Self.list(arguments)
        envp = Self.list(request.environment)
        let program = request.command.program
        if request.command.searchPath && !program.contains("/") {
            let path = request.environment.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? "/bin:/usr/bin"
            searchedPath = strdup(path)
            candidates = Self.list(path.split(separator: ":", omittingEmptySubsequences: false).map { directory in
                (directory.isEmpty ? "." : String(directory)) + "/" + program
            })
        } else {
            searchedPath = nil
            candidates = Self.list([program])
        }
        let rest = arguments.dropFirst()
        shellArgv = CStringList.allocate(capacity: rest.count + 3)
        shellArgv[0] = strdup("sh")
        shellArgv[1] = nil  // the child puts the script's path here
        for (index, argument) in rest.enumerated() { shellArgv[index + 2] = strdup(argument) }
        shellArgv[rest.count + 2] = nil
        cgroupProcsFiles = Self.list(request.cgroupProcsFiles)
        self.program = strdup(program)
        sandbox = strdup(request.sandbox)
        stdoutPath = strdup(request.stdoutPath)
        stderrPath = strdup(request.stderrPath)
        errorPath = strdup(request.sandbox + "/" + LauncherArguments.errorFileName)
        pidText = .allocate(capacity: 24)
    }

    /// Frees the prepared memory (in the parent, once the child has `exec`ed or exited).
    func release() {
        for list in [argv, envp, candidates, cgroupProcsFiles] {
            Self.freeStrings(list)
            list.deallocate()
        }
        free(shellArgv[0])
        Self.freeStrings(shellArgv + 2)  // slot 1 points into `candidates`
        shellArgv.deallocate()
        for pointer in [program, searchedPath, sandbox, stdoutPath, stderrPath, errorPath] { free(pointer) }
        pidText.deallocate()
    }

    /// Starts the child and returns its pid (-1 with `errno` on failure). With `clone`, returns
    /// once the child has `exec`ed or exited. `stack` is the top of the child's stack.
    func start(stack: UnsafeMutableRawPointer?) -> pid_t {
        guard let clone = LinuxCalls.cloneFunction, let stack else {
            let pid = fork()
            if pid == 0 { run() }
            return pid
        }
        var child = self
        return withUnsafeMutablePointer(to: &child) { pointer in
            clone({ argument -> Int32 in
                guard let argument else { _exit(LauncherArguments.failureExitStatus) }
                argument.assumingMemoryBound(to: LauncherServiceChild.self).pointee.run()
            }, stack, LinuxCalls.cloneVM | LinuxCalls.cloneVfork | SIGCHLD, UnsafeMutableRawPointer(pointer))
        }
    }

    /// The child: never returns, allocates nothing.
    private func run() -> Never {
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard devNull >= 0, dup2(devNull, 0) == 0 else { fail("could not open /dev/null as stdin: ", nil, "", errno) }
        redirect(1, to: stdoutPath)
        redirect(2, to: stderrPath)

        var index = 0
        while let file = cgroupProcsFiles[index] {
            let fd = open(file, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { fail("could not open ", file, " to join the task's cgroup: ", errno) }
            let length = formatPid()
            let written = write(fd, pidText, length)
            let code = errno
            close(fd)
            guard written == length else { fail("could not join the task's cgroup through ", file, ": ", code) }
            index += 1
        }
        guard setsid() >= 0 else { fail("could not start a new session: ", nil, "", errno) }
        guard chdir(sandbox) == 0 else { fail("could not enter the sandbox ", sandbox, ": ", errno) }
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP {
            Glibc.signal(Int32(signal), SIG_DFL)
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
        if !LinuxCalls.closeAll(from: 3) { _ = LinuxCalls.markCloseOnExec(from: 3) }

        var code = ENOENT
        var denied = false
        index = 0
        while let candidate = candidates[index] {
            execve(candidate, argv, envp)
            switch errno {
            case EACCES:
                denied = true
            case ENOENT, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT:
                break
            case ENOEXEC:
                // A script without `#!`: run it with the shell, as execvp does.
                shellArgv[1] = candidate
                execve("/bin/sh", shellArgv, envp)
                fail("could not execute ", program, ": ", errno)
            default:
                fail("could not execute ", program, ": ", errno)
            }
            code = errno
            index += 1
        }
        if denied { code = EACCES }
        if let searchedPath, code == ENOENT {
            fail("could not execute ", program, ": not found in PATH ", 0, detail: searchedPath)
        }
        fail("could not execute ", program, ": ", code)
    }

    private func redirect(_ target: Int32, to path: CString) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { fail("could not open ", path, " for the task's output: ", errno) }
        guard dup2(fd, target) == target else { fail("could not redirect the task's output to ", path, ": ", errno) }
    }

    /// Writes the child's pid and a newline into `pidText`; returns the length.
    private func formatPid() -> Int {
        var value = Int(getpid())
        var digits = 0
        var scratch = value
        repeat {
            digits += 1
            scratch /= 10
        } while scratch > 0
        for position in stride(from: digits - 1, through: 0, by: -1) {
            pidText[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        pidText[digits] = UInt8(ascii: "\n")
        return digits + 1
    }

    /// Reports `prefix SUBJECT middle REASON` (the reason: `detail`, else `strerror(code)`) on
    /// stderr and in the sandbox's launch error file, and ends the child.
    private func fail(_ prefix: StaticString, _ subject: UnsafePointer<CChar>?, _ middle: StaticString,
                      _ code: Int32 = 0, detail: UnsafePointer<CChar>? = nil) -> Never {
        let reason = detail ?? UnsafePointer(strerror(code))
        Self.put(2, "fairway launcher: ")
        Self.message(to: 2, prefix, subject, middle, reason)
        Self.put(2, "\n")
        let fd = open(errorPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd >= 0 {
            Self.message(to: fd, prefix, subject, middle, reason)
            close(fd)
        }
        _exit(LauncherArguments.failureExitStatus)
    }

    private static func message(to fd: Int32, _ prefix: StaticString, _ subject: UnsafePointer<CChar>?,
                                _ middle: StaticString, _ reason: UnsafePointer<CChar>?) {
        put(fd, prefix)
        if let subject { _ = write(fd, subject, strlen(subject)) }
        put(fd, middle)
        if let reason { _ = write(fd, reason, strlen(reason)) }
    }

    private static func put(_ fd: Int32, _ text: StaticString) {
        _ = write(fd, text.utf8Start, text.utf8CodeUnitCount)
    }

    private static func list(_ strings: [String]) -> CStringList {
        let list = CStringList.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { list[index] = strdup(string) }
        list[strings.count] = nil
        return list
    }

    private static func freeStrings(_ list: CStringList) {
        var index = 0
        while let pointer = list[index] {
            free(pointer)
            index += 1
        }
    }
}
