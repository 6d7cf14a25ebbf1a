import Glibc
import Spawning

/// Runs one user command the Hadoop-streaming way: records are fed to its stdin by a separate
/// thread while this thread reads its stdout, so neither side can block the other however much
/// either writes (a mapper that prints megabytes before reading its input does not deadlock).
enum CommandRunner {
    /// Runs `/bin/sh -c command` and returns what `feed` returned.
    ///
    /// - `feed` runs on its own thread with a writer on the command's stdin (closed after it
    ///   returns); it should stop early when `writer.hasFailed` (the command stopped reading). A
    ///   command that exits successfully without reading all its input is not an error.
    /// - `consume` reads the command's stdout on the calling thread when `stdout` is `.pipe`.
    ///
    /// Throws, in this order: the error `consume` threw; "`role` `command` exited with status N:
    /// <last stderr line>" when the command failed; the error `feed` threw or a write error.
    static func run<Fed: Sendable>(role: String, command: String, environment: [String: String],
                                   stdout: ChildProcess.Output,
                                   feed: @escaping @Sendable (BufferedWriter) throws -> Fed,
                                   consume: ((LineReader) throws -> Void)? = nil) throws -> Fed {
        let child = try ChildProcess.startShell(command, environment: environment, stdout: stdout)
        let tee: JoinableThread<[UInt8]>
        do {
            tee = try StderrTee.start(child.errors)
        } catch {
            abandon(child)
            throw error
        }
        let feeder: JoinableThread<Result<Fed, any Error>>
        do {
            feeder = try JoinableThread.start {
                let writer = BufferedWriter(fd: child.input)
                var result = Result { try feed(writer) }
                let code = writer.flush()
                close(child.input)
                if case .success = result, code != 0, code != EPIPE {
                    result = .failure(BatchRuntimeError("cannot write to the stdin of \(role) `\(command)`: \(LinuxCalls.errorText(code))"))
                }
                return result
            }
        } catch {
            abandon(child)
            _ = tee.join()
            throw error
        }
        var consumeError: (any Error)?
        if let output = child.output {
            let reader = LineReader(fd: output, name: "the output of \(role) `\(command)`")
            do {
                if let consume {
                    try consume(reader)
                } else {
                    while try reader.next({ _, _ in () }) != nil {}
                }
            } catch {
                consumeError = error
            }
            // Closing early (after an error) makes the command die of SIGPIPE instead of blocking.
            close(output)
        }
        let fed = feeder.join()
        let tail = tee.join()
        let status = child.wait()
        if let consumeError { throw consumeError }
        guard status.succeeded else {
            throw BatchRuntimeError(failureMessage(role: role, command: command, status: status, stderrTail: tail))
        }
        return try fed.get()
    }

    /// "mapper `foo` exited with status 127: sh: 1: foo: not found".
    static func failureMessage(role: String, command: String, status: ChildExitStatus, stderrTail: [UInt8]) -> String {
        var message = "\(role) `\(command)` \(status)"
        if let line = StderrTee.lastLine(of: stderrTail) { message += ": \(line)" }
        return message
    }

    /// Cleans up after a command we could not serve: with its pipes closed it sees end of input
    /// and dies of SIGPIPE on output, so the wait ends.
    private static func abandon(_ child: ChildProcess) {
        close(child.input)
        if let output = child.output { close(output) }
        _ = child.wait()
    }
}
