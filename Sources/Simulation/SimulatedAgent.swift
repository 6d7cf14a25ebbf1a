import FairwayCore
import FairwayProto
import Foundation

/// An agent of the simulation: runs the tasks the master sends it (nothing is executed; a task
/// just lasts for its drawn duration) and reports their states with status updates that carry a
/// uuid, as the real agent does, so frameworks must acknowledge them.
struct SimulatedAgent: Sendable {
    struct TaskKey: Hashable, Sendable {
        var frameworkID: String
        var taskID: String
    }

    let number: Int
    var hostname: String { "sim-agent-\(number)" }
    var streamID: String { "sim-agent-stream-\(number)" }
    let resources: Resources
    /// Assigned by the master at registration.
    var agentID = ""
    private(set) var running: Set<TaskKey> = []
    private var updatesSent: UInt64 = 0

    init(number: Int, resources: Resources) {
        self.number = number
        self.resources = resources
    }

    var registration: Fairway_Internal_AgentCall.Register {
        var register = Fairway_Internal_AgentCall.Register()
        register.agentInfo.hostname = hostname
        register.agentInfo.port = 5051
        register.agentInfo.resources = resources.proto()
        register.version = "simulated"
        return register
    }

    /// Starts the tasks of a RUN_TASKS event: returns their TASK_RUNNING updates and the tasks
    /// started (whose end the simulation schedules).
    mutating func run(_ runs: [Fairway_Internal_RunTask], now: Double) -> (updates: [Fairway_Internal_StatusUpdate], started: [TaskKey]) {
        var updates: [Fairway_Internal_StatusUpdate] = []
        var started: [TaskKey] = []
        for run in runs where run.hasTask {
            let key = TaskKey(frameworkID: run.frameworkInfo.id.value, taskID: run.task.taskID.value)
            guard running.insert(key).inserted else { continue }
            started.append(key)
            updates.append(update(key, .taskRunning, now: now))
        }
        return (updates, started)
    }

    /// The task's time is up: TASK_FINISHED, unless it was killed already.
    mutating func finish(_ key: TaskKey, now: Double) -> Fairway_Internal_StatusUpdate? {
        guard running.remove(key) != nil else { return nil }
        return update(key, .taskFinished, now: now)
    }

    mutating func kill(_ key: TaskKey, now: Double) -> Fairway_Internal_StatusUpdate? {
        guard running.remove(key) != nil else { return nil }
        return update(key, .taskKilled, now: now)
    }

    /// SHUTDOWN_FRAMEWORK: every task of the framework is killed.
    mutating func shutdown(frameworkID: String, now: Double) -> [Fairway_Internal_StatusUpdate] {
        running.filter { $0.frameworkID == frameworkID }
            .sorted { $0.taskID < $1.taskID }
            .compactMap { kill($0, now: now) }
    }

    private mutating func update(_ key: TaskKey, _ state: Fairway_V1_TaskState, now: Double) -> Fairway_Internal_StatusUpdate {
        updatesSent += 1
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = key.taskID
        status.agentID.value = agentID
        status.state = state
        status.source = .executor
        status.timestamp = now
        status.uuid = Self.uuid(agent: number, sequence: updatesSent)
        var update = Fairway_Internal_StatusUpdate()
        update.frameworkID.value = key.frameworkID
        update.status = status
        update.latestState = state
        return update
    }

    /// 16 deterministic bytes: the agent's number and a counter.
    static func uuid(agent: Int, sequence: UInt64) -> Data {
        var bytes: [UInt8] = []
        for value in [UInt64(agent), sequence] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        return Data(bytes)
    }
}
