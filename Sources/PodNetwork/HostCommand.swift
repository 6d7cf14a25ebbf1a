import Glibc
import NIOPosix
import Spawning

/// Runs a short system command (`ip …`) to completion, feeding it `input` and capturing its
/// output, so failures can be reported with the tool's own words.
struct HostCommand: Sendable {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var errors: String
        var succeeded: Bool { status == 0 }
    }

    var arguments: [String]
    var input: String = ""

    /// Runs the command on this thread (blocking; a few milliseconds for `ip`).
    func runBlocking() throws(PodNetworkError) -> Result {
        // A socket pair, not a pipe, for stdin: `send` with MSG_NOSIGNAL gets EPIPE instead of a
        // SIGPIPE if the command exits before reading everything.
        let stdinPipe = try Spawn.socketPair()
        var pipes: [(read: Int32, write: Int32)] = [stdinPipe]
        do throws(PodNetworkError) {
            pipes.append(try Spawn.pipe())
            pipes.append(try Spawn.pipe())
        } catch {
            for pipe in pipes { close(pipe.read); close(pipe.write) }
            throw error
        }
        let stdoutPipe = pipes[1]
        let stderrPipe = pipes[2]
        let pid: pid_t
        do {
            pid = try Spawn.start(arguments, stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            for fd in [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] { close(fd) }
            throw error
        }
        close(stdinPipe.read)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        let (output, errors) = HostCommand.exchange(input: Array(input.utf8), stdin: stdinPipe.write,
                                                    stdout: stdoutPipe.read, stderr: stderrPipe.read)
        let status = ChildSpawn.wait(pid)
        let exitCode: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitCode, output: String(decoding: output, as: UTF8.self),
                      errors: String(decoding: errors, as: UTF8.self))
    }

    /// Runs the command on NIO's blocking-work thread pool, off the concurrency pool.
    func run() async throws(PodNetworkError) -> Result {
        let command = self
        let outcome: Swift.Result<Result, PodNetworkError>
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive {
                Swift.Result { () throws(PodNetworkError) -> Result in try command.runBlocking() }
            }
        } catch {
            throw PodNetworkError(.io, "cannot run \(arguments.joined(separator: " ")): \(error)")
        }
        return try outcome.get()
    }

    /// Runs the command and throws with its stderr unless it succeeds.
    func check(_ what: String) async throws(PodNetworkError) -> Result {
        let result = try await run()
        guard result.succeeded else { throw failure(what, result) }
        return result
    }

    func failure(_ what: String, _ result: Result) -> PodNetworkError {
        let detail = result.errors.trimmingWhitespace.isEmpty ? "exit status \(result.status)" : result.errors.trimmingWhitespace
        return PodNetworkError(.commandFailed, "\(what) failed (`\(arguments.joined(separator: " "))`): \(detail)")
    }

    /// Writes `input` to the child's stdin (then closes it) while draining stdout and stderr, so
    /// neither side can block the other on a full pipe. Closes all three descriptors.
    private static func exchange(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) -> ([UInt8], [UInt8]) {
        var written = 0
        var stdinOpen = true
        if input.isEmpty { close(stdin); stdinOpen = false }
        var outputs: [Int32: [UInt8]] = [stdout: [], stderr: []]
        var open: Set<Int32> = [stdout, stderr]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !open.isEmpty || stdinOpen {
            var fds = open.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinOpen { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdin && stdinOpen {
                    let count = input[written...].withUnsafeBytes { send(stdin, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count > 0 { written += count }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 || written == input.count {
                        close(stdin)
                        stdinOpen = false
                    }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        outputs[entry.fd, default: []].append(contentsOf: buffer[0..<count])
                    } else if count == 0 || errno != EINTR {
                        close(entry.fd)
                        open.remove(entry.fd)
                    }
                }
            }
        }
        for fd in open { close(fd) }
        if stdinOpen { close(stdin) }
        return (outputs[stdout] ?? [], outputs[stderr] ?? [])
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
