/// Everything a reduce task needs, as the framework passes it on the command line
/// (`mapreduce-task reduce --partition p --reducer CMD --output DIR --attempt ATTEMPT_ID
/// --map INDEX=AGENT_ID@http://HOST:PORT/MAP_TASK_ID ... [--map-outputs-url URL --maps N]`) plus the
/// task's environment.
public struct ReduceTaskOptions: Sendable, Equatable {
    public var partition: Int
    /// Run as `/bin/sh -c reducer` with the partition's records, sorted by key, on stdin.
    public var reducer: String
    /// The job's output directory; the committed result is `part-NNNNN` in it.
    public var outputDirectory: String
    /// Unique per attempt; names the attempt's temporary directory `_temporary/<attempt>`.
    public var attemptID: String
    /// Map outputs known at launch: one entry per map of the job, or (with `mapOutputsURL`) the maps
    /// finished so far.
    public var maps: [MapOutputLocation]
    /// The framework's `GET /jobs/ID/map-outputs`: when set, the reduce polls it for maps that finish
    /// after launch (and for the new location of a map re-run after its agent was lost) until it
    /// holds all `totalMaps` outputs (reduce slowstart). Nil: `maps` is the complete list.
    public var mapOutputsURL: String?
    /// The job's number of maps (with `mapOutputsURL`).
    public var totalMaps: Int?
    /// Seconds between polls of `mapOutputsURL`.
    public var pollInterval: Double = 0.5
    /// Seconds a polling reduce waits without progress — the framework unreachable, or a map whose
    /// output could not be fetched and has no new location — before it gives up.
    public var progressTimeout: Double = 600
    /// Seconds before a map output that failed to fetch is tried again at the same location.
    public var refetchDelay: Double = 5
    public var environment: TaskEnvironment
    /// Map outputs fetched at the same time (Hadoop's `shuffle.parallelcopies`, 5).
    public var parallelFetches: Int
    /// Tries per HTTP request before a fetch fails (connection errors and 5xx answers are retried).
    public var fetchAttempts: Int
    /// Seconds one `/state` request may take. The HTTP client keeps retrying a refused connection
    /// until then, so this bounds how long an unreachable agent delays the failure.
    public var stateTimeout: Double
    /// Seconds one map output download may take.
    public var downloadTimeout: Double
    /// Most map outputs merged in one pass (and so open at once); more are merged in rounds.
    var mergeFanIn = 100

    public init(partition: Int, reducer: String, outputDirectory: String, attemptID: String, maps: [MapOutputLocation],
                environment: TaskEnvironment = .current(), parallelFetches: Int = 5, fetchAttempts: Int = 3,
                stateTimeout: Double = 10, downloadTimeout: Double = 300, mapOutputsURL: String? = nil, totalMaps: Int? = nil) {
        self.partition = partition
        self.reducer = reducer
        self.outputDirectory = outputDirectory
        self.attemptID = attemptID
        self.maps = maps
        self.environment = environment
        self.parallelFetches = parallelFetches
        self.fetchAttempts = fetchAttempts
        self.stateTimeout = stateTimeout
        self.downloadTimeout = downloadTimeout
        self.mapOutputsURL = mapOutputsURL
        self.totalMaps = totalMaps
    }

    func validate() throws(BatchRuntimeError) {
        guard partition >= 0 else {
            throw BatchRuntimeError("--partition must not be negative (got \(partition))", kind: .usage)
        }
        guard !reducer.isEmpty else {
            throw BatchRuntimeError("--reducer must be a command", kind: .usage)
        }
        guard !outputDirectory.isEmpty else {
            throw BatchRuntimeError("--output must be a directory", kind: .usage)
        }
        guard !attemptID.isEmpty, attemptID != ".", attemptID != "..", !attemptID.contains("/") else {
            throw BatchRuntimeError("--attempt '\(attemptID)' must be a non-empty name without '/'", kind: .usage)
        }
        var seen = Set<Int>()
        for map in maps where !seen.insert(map.mapIndex).inserted {
            throw BatchRuntimeError("--map index \(map.mapIndex) is given twice; give each map once", kind: .usage)
        }
        if let mapOutputsURL {
            guard mapOutputsURL.hasPrefix("http://") || mapOutputsURL.hasPrefix("https://") else {
                throw BatchRuntimeError("--map-outputs-url '\(mapOutputsURL)' must be an http:// URL", kind: .usage)
            }
            guard let totalMaps, totalMaps >= 1 else {
                throw BatchRuntimeError("--map-outputs-url needs --maps N, the job's number of maps (at least 1)", kind: .usage)
            }
            if let map = maps.first(where: { $0.mapIndex >= totalMaps }) {
                throw BatchRuntimeError("--map index \(map.mapIndex) is not below --maps \(totalMaps)", kind: .usage)
            }
        } else if totalMaps != nil {
            throw BatchRuntimeError("--maps is only meaningful with --map-outputs-url", kind: .usage)
        }
    }

    /// The reducer's environment: the task's plus Hadoop streaming's names for the partition and attempt.
    var commandEnvironment: [String: String] {
        var variables = environment.variables
        variables["mapreduce_task_partition"] = String(partition)
        variables["mapreduce_task_attempt_id"] = attemptID
        return variables
    }
}
