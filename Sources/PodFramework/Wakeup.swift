/// How the controllers run: watches feed their caches and mark work; `run` does the work once
/// per wake-up, however many changes arrived meanwhile, until the task is cancelled.
struct Wakeup: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func signal() { continuation.yield() }

    /// Runs `work` after each signal until cancelled, then cancels `watches`.
    func run(watches: [Task<Void, Never>], _ work: @Sendable () async -> Void) async {
        await withTaskCancellationHandler {
            for await _ in stream { await work() }
        } onCancel: {
            continuation.finish()
        }
        for watch in watches { watch.cancel() }
    }
}
