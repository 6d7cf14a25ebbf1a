/// The launcher service's bookkeeping, as a pure value: which task runs under which pid, which
/// exits no agent has acknowledged yet, and when the service may exit. The service loop feeds it
/// events (started, reaped, acknowledged, connected, disconnected) with the current monotonic time
/// and carries out what it answers; it does no I/O itself.
struct LauncherServiceLedger: Sendable {
    /// How long a service with nothing to do waits for an agent to (re)connect before exiting.
    var idleGrace: Double
    /// How long unacknowledged exits are kept for an agent that does not come back (Mesos's
    /// agent `recovery_timeout` plays the same role for executors).
    var recoveryTimeout: Double

    private(set) var running: [String: Int32] = [:]
    private var idsByPid: [Int32: String] = [:]
    private var exits: [String: LauncherServiceSnapshot.Exited] = [:]
    private var exitOrder: [String] = []
    /// Since when no agent is connected (the service's start counts as a disconnection).
    private(set) var disconnectedSince: Double?
    private(set) var stopping = false

    init(now: Double, idleGrace: Double = 10, recoveryTimeout: Double = 900) {
        self.idleGrace = idleGrace
        self.recoveryTimeout = recoveryTimeout
        disconnectedSince = now
    }

    var isConnected: Bool { disconnectedSince == nil }

    /// Whether `id` names a task that runs or whose exit is unacknowledged.
    func knows(_ id: String) -> Bool { running[id] != nil || exits[id] != nil }

    /// Pids of the tasks still running.
    var runningPids: [Int32] { Array(idsByPid.keys) }

    /// Why a launch is refused before forking, or nil to go ahead.
    func refusal(of id: String) -> String? {
        if stopping { return "the launcher service is stopping" }
        if knows(id) { return "the launcher service already has a task with container id \(id)" }
        return nil
    }

    mutating func started(id: String, pid: Int32) {
        running[id] = pid
        idsByPid[pid] = id
    }

    /// A child was reaped. Returns the reply for the agent (kept until acknowledged), or nil for a
    /// pid that is not one of the tasks.
    mutating func reaped(pid: Int32, status: Int32) -> LauncherServiceReply? {
        guard let id = idsByPid.removeValue(forKey: pid) else { return nil }
        running[id] = nil
        exits[id] = .init(id: id, pid: pid, status: status)
        exitOrder.append(id)
        return .exited(id: id, pid: pid, status: status)
    }

    mutating func acknowledge(_ ids: [String]) {
        var removed = false
        for id in ids where exits.removeValue(forKey: id) != nil { removed = true }
        if removed { exitOrder.removeAll { exits[$0] == nil } }
    }

    /// An agent connected: what it must be told first.
    mutating func connected(servicePid: Int32) -> LauncherServiceReply {
        disconnectedSince = nil
        let runningEntries = running.map { LauncherServiceSnapshot.Running(id: $0.key, pid: $0.value) }.sorted { $0.id < $1.id }
        return .snapshot(LauncherServiceSnapshot(servicePid: servicePid, running: runningEntries,
                                                 exited: exitOrder.compactMap { exits[$0] }))
    }

    mutating func disconnected(now: Double) {
        if disconnectedSince == nil { disconnectedSince = now }
    }

    /// SHUTDOWN: no more launches; exit once every task has been reaped.
    mutating func stop() { stopping = true }

    /// Whether the service should exit now.
    func shouldExit(now: Double) -> Bool {
        if stopping { return running.isEmpty }
        guard let since = disconnectedSince, running.isEmpty else { return false }
        let wait = exits.isEmpty ? idleGrace : max(idleGrace, recoveryTimeout)
        return now - since >= wait
    }

    /// Seconds until `shouldExit` may change without another event, or nil (wait for events).
    func secondsUntilExitCheck(now: Double) -> Double? {
        guard !stopping, let since = disconnectedSince, running.isEmpty else { return nil }
        let wait = exits.isEmpty ? idleGrace : max(idleGrace, recoveryTimeout)
        return max(0, since + wait - now)
    }
}
