/// The phases a task can belong to. An array job has one phase; a map/reduce job has maps then reduces.
public enum TaskPhase: String, Sendable, Codable, Equatable, Hashable, CaseIterable {
    case array, map, reduce

    /// The letter in attempt IDs.
    public var letter: String {
        switch self {
        case .array: "t"
        case .map: "m"
        case .reduce: "r"
        }
    }

    /// How users call one task of this phase in messages ("map 3 failed 4 times").
    public var noun: String {
        switch self {
        case .array: "task"
        case .map: "map"
        case .reduce: "reduce"
        }
    }
}

/// Where a task stands. A task runs (possibly several attempts at once when speculating) until one
/// attempt succeeds or it has failed `maxAttempts` times.
public enum TaskState: String, Sendable, Codable, Equatable {
    case waiting, running, succeeded, failed
}

/// The output of a finished map, which reduces fetch from the agent that holds it.
public struct MapOutput: Sendable, Codable, Equatable, Hashable {
    public var mapIndex: Int
    public var agentID: String
    /// The agent's hostname when the map ran (the shell maps agentID to the agent's HTTP endpoint).
    public var hostname: String
    /// The winning map attempt = the Mesos TaskID whose sandbox holds `map-output/part-NNNNN`.
    public var attemptID: String

    public init(mapIndex: Int, agentID: String, hostname: String, attemptID: String) {
        self.mapIndex = mapIndex
        self.agentID = agentID
        self.hostname = hostname
        self.attemptID = attemptID
    }
}

/// One task of a job and every attempt it made.
public struct BatchTask: Sendable, Codable, Equatable {
    public let phase: TaskPhase
    public let index: Int
    public internal(set) var state: TaskState
    public internal(set) var attempts: [Attempt]
    /// Failures counted against `maxAttempts` (failed and timed-out attempts).
    public internal(set) var failures: Int
    /// Attempts lost with their agent or killed by someone else; they do not count against `maxAttempts`.
    public internal(set) var losses: Int
    /// When the task last became waiting: delay scheduling measures its wait from here.
    public internal(set) var runnableSince: Double
    /// A speculative backup was asked for; a task gets at most one in its life.
    public internal(set) var speculated: Bool
    /// For maps: the winning attempt's output, nil until done or after its agent was lost.
    public internal(set) var output: MapOutput?

    init(phase: TaskPhase, index: Int, now: Double) {
        self.phase = phase
        self.index = index
        self.state = .waiting
        self.attempts = []
        self.failures = 0
        self.losses = 0
        self.runnableSince = now
        self.speculated = false
        self.output = nil
    }

    /// Attempts still staging or running.
    public var liveAttempts: Int { attempts.reduce(0) { $0 + ($1.isLive ? 1 : 0) } }
}
