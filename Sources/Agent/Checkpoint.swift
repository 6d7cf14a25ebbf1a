import FairwayProto
import Foundation
import GRDB

/// The agent's durable memory, one SQLite file in the work dir: its id, the master it last talked
/// to, the frameworks and tasks it runs, and every status update not yet acknowledged. Changes are
/// applied in batches (`apply`), one transaction each, in WAL mode with `synchronous=NORMAL`: a
/// crash of the agent loses nothing committed; a power loss may lose the last few milliseconds.
final class Checkpoint: Sendable {
    /// One change to the checkpoint.
    enum Change: Sendable {
        case setMeta(String, String?)
        case saveFramework(Fairway_V1_FrameworkInfo)
        case saveTask(AgentTask)
        case deleteTask(TaskKey)
        case appendUpdate(TaskKey, StatusUpdateQueue.Entry)
        case deleteUpdates([Int64])
        case deleteFramework(String)
        case clearAll
    }

    /// What a restarted agent finds.
    struct Snapshot: Sendable {
        var agentID: String?
        var masterID: String?
        var frameworks: [Fairway_V1_FrameworkInfo] = []
        var tasks: [AgentTask] = []
        var updates: [(TaskKey, StatusUpdateQueue.Entry)] = []
    }

    static let agentIDKey = "agent_id"
    static let masterIDKey = "master_id"

    let path: String
    private let database: DatabaseQueue

    init(path: String) throws(AgentError) {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.label = "fairway.agent.checkpoint"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE frameworks (id TEXT PRIMARY KEY, info BLOB NOT NULL);
                    CREATE TABLE tasks (
                        framework_id TEXT NOT NULL, task_id TEXT NOT NULL,
                        info BLOB NOT NULL, executor BLOB, state INTEGER NOT NULL,
                        sandbox TEXT NOT NULL, executor_dir TEXT NOT NULL, container_id TEXT NOT NULL,
                        pid INTEGER, start_time INTEGER, kill_requested INTEGER NOT NULL,
                        PRIMARY KEY (framework_id, task_id));
                    CREATE TABLE updates (
                        seq INTEGER PRIMARY KEY, framework_id TEXT NOT NULL, task_id TEXT NOT NULL,
                        update_bytes BLOB NOT NULL);
                    """)
            }
            try migrator.migrate(database)
        } catch {
            throw AgentError("could not open the agent checkpoint \(path): \(error). Check the work dir is writable, or remove the file to start the agent afresh (it then registers as a new agent).")
        }
    }

    func load() throws(AgentError) -> Snapshot {
        do {
            return try database.read { db in
                var snapshot = Snapshot()
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                    let key: String = row["key"]
                    let value: String = row["value"]
                    if key == Self.agentIDKey { snapshot.agentID = value }
                    if key == Self.masterIDKey { snapshot.masterID = value }
                }
                for row in try Row.fetchAll(db, sql: "SELECT info FROM frameworks") {
                    let bytes: Data = row["info"]
                    snapshot.frameworks.append(try Fairway_V1_FrameworkInfo(serializedBytes: bytes))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM tasks") {
                    let info = try Fairway_V1_TaskInfo(serializedBytes: row["info"] as Data)
                    let executorBytes: Data? = row["executor"]
                    let executor = try executorBytes.map { try Fairway_V1_ExecutorInfo(serializedBytes: $0) }
                    let pid: Int64? = row["pid"]
                    let startTime: Int64? = row["start_time"]
                    snapshot.tasks.append(AgentTask(
                        key: TaskKey(frameworkID: row["framework_id"], taskID: row["task_id"]),
                        info: info, executor: executor,
                        state: Fairway_V1_TaskState(rawValue: row["state"]) ?? .taskStaging,
                        sandbox: row["sandbox"], executorDirectory: row["executor_dir"],
                        containerID: row["container_id"], pid: pid.map { Int32(truncatingIfNeeded: $0) },
                        startTime: startTime.map { UInt64(bitPattern: $0) }, killRequested: row["kill_requested"]))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM updates ORDER BY seq") {
                    let update = try Fairway_Internal_StatusUpdate(serializedBytes: row["update_bytes"] as Data)
                    let key = TaskKey(frameworkID: row["framework_id"], taskID: row["task_id"])
                    snapshot.updates.append((key, StatusUpdateQueue.Entry(sequence: row["seq"], update: update)))
                }
                return snapshot
            }
        } catch {
            throw AgentError("could not read the agent checkpoint \(path): \(error). Remove the file to start the agent afresh (it then registers as a new agent).")
        }
    }

    /// Closes the database; later calls fail.
    func close() {
        try? database.close()
    }

    /// Applies changes in order, in one transaction.
    func apply(_ changes: [Change]) throws(AgentError) {
        guard !changes.isEmpty else { return }
        do {
            try database.write { db in
                for change in changes { try Self.apply(change, db) }
            }
        } catch {
            throw AgentError("could not write the agent checkpoint \(path): \(error). Check free space in the work dir.")
        }
    }

    private static func apply(_ change: Change, _ db: Database) throws {
        switch change {
        case .setMeta(let key, let value?):
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        case .setMeta(let key, nil):
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
        case .saveFramework(let info):
            try db.execute(sql: "INSERT OR REPLACE INTO frameworks (id, info) VALUES (?, ?)",
                           arguments: [info.id.value, try info.serializedBytes() as Data])
        case .saveTask(let task):
            let executor: Data? = try task.executor.map { try $0.serializedBytes() }
            try db.execute(sql: """
                INSERT OR REPLACE INTO tasks (framework_id, task_id, info, executor, state, sandbox, executor_dir,
                    container_id, pid, start_time, kill_requested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [task.key.frameworkID, task.key.taskID, try task.info.serializedBytes() as Data, executor,
                                 task.state.rawValue, task.sandbox, task.executorDirectory, task.containerID,
                                 task.pid.map { Int64($0) }, task.startTime.map { Int64(bitPattern: $0) }, task.killRequested])
        case .deleteTask(let key):
            try db.execute(sql: "DELETE FROM tasks WHERE framework_id = ? AND task_id = ?", arguments: [key.frameworkID, key.taskID])
        case .appendUpdate(let key, let entry):
            try db.execute(sql: "INSERT OR REPLACE INTO updates (seq, framework_id, task_id, update_bytes) VALUES (?, ?, ?, ?)",
                           arguments: [entry.sequence, key.frameworkID, key.taskID, try entry.update.serializedBytes() as Data])
        case .deleteUpdates(let sequences):
            for sequence in sequences { try db.execute(sql: "DELETE FROM updates WHERE seq = ?", arguments: [sequence]) }
        case .deleteFramework(let id):
            try db.execute(sql: "DELETE FROM frameworks WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM tasks WHERE framework_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM updates WHERE framework_id = ?", arguments: [id])
        case .clearAll:
            try db.execute(sql: "DELETE FROM meta; DELETE FROM frameworks; DELETE FROM tasks; DELETE FROM updates;")
        }
    }
}
