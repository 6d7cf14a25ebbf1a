/// Launches waiting for the launcher service. At most `window` requests are outstanding (sent,
/// not yet answered `started` or `failed`); more wait here, and a task's cgroups are prepared
/// only when its request is sent. So a burst of a thousand launches does not first create a
/// thousand cgroups: the service starts tasks at its own pace, and the cgroups of tasks that
/// already ended are handed on to the next ones (`CgroupPool`). Requests go out in batches: once
/// half the window is answered, it is filled again in one write.
///
/// Pure; `ContainerRuntime` sends what `takeBatch` returns.
struct LaunchBacklog: Sendable {
    static let window = 64

    private var waiting: [ContainerSpec] = []
    private var head = 0
    /// Requests sent and not answered yet.
    private(set) var inFlight = 0
    /// After shutdown nothing more is sent.
    private(set) var closed = false

    var count: Int { waiting.count - head }

    mutating func append(_ specs: [ContainerSpec]) {
        waiting += specs
    }

    /// What to send now: nothing while more than half the window is in flight, else the oldest
    /// waiting launches up to the window. They count as in flight until `answered` (or
    /// `notSent`).
    mutating func takeBatch() -> [ContainerSpec] {
        guard !closed, count > 0, inFlight <= Self.window / 2 else { return [] }
        let taken = min(count, Self.window - inFlight)
        let batch = Array(waiting[head..<(head + taken)])
        head += taken
        inFlight += taken
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        return batch
    }

    /// The service answered one request.
    mutating func answered() {
        inFlight = max(0, inFlight - 1)
    }

    /// Taken launches that were not sent after all (killed meanwhile, or their set-up failed).
    mutating func notSent(_ number: Int) {
        inFlight = max(0, inFlight - number)
    }

    /// The service is gone: what it had not answered will never be.
    mutating func connectionLost() {
        inFlight = 0
    }

    /// Stops sending and returns what was still waiting.
    mutating func close() -> [ContainerSpec] {
        closed = true
        defer {
            waiting = []
            head = 0
        }
        return Array(waiting[head...])
    }
}
