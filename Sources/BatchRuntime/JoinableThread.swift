import Glibc
import Spawning

/// An OS thread (SIGPIPE blocked) for blocking work — pipes, files, `waitpid` — that must not occupy Swift's
/// cooperative pool (it has one thread per core, two on the target machine, and the HTTP server and
/// client of the same process need it). `join` returns what the body returned.
struct JoinableThread<Value: Sendable>: Sendable {
    private let thread: pthread_t
    private let result: ResultBox<Value>

    /// Starts `body` on a new thread.
    static func start(_ body: @escaping @Sendable () -> Value) throws(BatchRuntimeError) -> JoinableThread<Value> {
        let result = ResultBox<Value>()
        let thread = try startThread(detached: false) { result.value = body() }
        return JoinableThread(thread: thread, result: result)
    }

    /// Waits for the thread to end and returns its result. Call exactly once.
    func join() -> Value {
        pthread_join(thread, nil)
        // pthread_join orders the thread's write of the result before this read.
        guard let value = result.value else { preconditionFailure("a joined thread always stores its result") }
        return value
    }
}

/// Runs blocking work on its own OS thread and suspends the calling task until it is done.
func runOnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    let result: Result<Value, any Error> = await withCheckedContinuation { continuation in
        do {
            _ = try startThread(detached: true) {
                continuation.resume(returning: Result { try body() })
            }
        } catch {
            continuation.resume(returning: .failure(error))
        }
    }
    return try result.get()
}

/// Written by the thread before it ends and read only after `pthread_join`.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}

private final class ThreadBody: @unchecked Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

private func startThread(detached: Bool, _ body: @escaping @Sendable () -> Void) throws(BatchRuntimeError) -> pthread_t {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    let code = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        // A write to a pipe whose reader is gone raises SIGPIPE in the writing thread; blocked
        // here, the write fails with EPIPE instead of killing the process (no process-wide change).
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().run()
        return nil
    }, context)
    guard code == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        throw BatchRuntimeError("cannot start a thread: \(LinuxCalls.errorText(code))")
    }
    if detached { pthread_detach(thread) }
    return thread
}
