/// How `fairway batch` runs: which master, where its job API listens, where it keeps its state.
public struct BatchOptions: Sendable {
    /// The master as `host:port`.
    public var master: String
    public var host = "127.0.0.1"
    /// The job API's port (0 picks a free one; the chosen port is logged and written to
    /// `<work dir>/port`).
    public var port = 5052
    /// SQLite state (`batch.db`) lives here.
    public var workDir: String
    public var role = "batch"
    public var name = "fairway-batch"
    /// How long the master keeps our tasks running while this framework is down (Mesos
    /// `failover_timeout`); a restart within it re-attaches to them.
    public var failoverTimeout: Double = 7 * 24 * 3600
    /// The `fairway` binary agents run for map and reduce tasks.
    public var executable: String
    /// How often timeouts and stragglers are checked.
    public var tickInterval = 0.25
    /// Declared demand is sent at most this often (the latest wins).
    public var demandInterval = 0.5

    public init(master: String, workDir: String, executable: String) {
        self.master = master
        self.workDir = workDir
        self.executable = executable
    }
}
