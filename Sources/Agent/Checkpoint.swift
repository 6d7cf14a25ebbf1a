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
        case savePodNetwork(PodGroupNetwork)
        case deletePodNetwork(ExecutorKey)
        case clearAll
    }

    /// What a restarted agent finds.
    struct Snapshot: Sendable {
        var agentID: String?
        var masterID: String?
        var frameworks: [Fairway_V1_FrameworkInfo] = []
        var tasks: [AgentTask] = []
        var updates: [(TaskKey, StatusUpdateQueue.Entry)] = []
        var podNetworks: [PodGroupNetwork] = []
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
            migrator.registerMigration("v2-pods") { db in
                try db.execute(sql: """
                    ALTER TABLE tasks ADD COLUMN restarts INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE tasks ADD COLUMN last_exit_code INTEGER;
                    CREATE TABLE pod_networks (
                        framework_id TEXT NOT NULL, executor_id TEXT NOT NULL, ip TEXT NOT NULL,
                        isolated INTEGER NOT NULL, host_reason TEXT,
                        PRIMARY KEY (framework_id, executor_id));
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
                    let lastExitCode: Int64? = row["last_exit_code"]
                    snapshot.tasks.append(AgentTask(
                        key: TaskKey(frameworkID: row["framework_id"], taskID: row["task_id"]),
                        info: info, executor: executor,
                        state: Fairway_V1_TaskState(rawValue: row["state"]) ?? .taskStaging,
                        sandbox: row["sandbox"], executorDirectory: row["executor_dir"],
                        containerID: row["container_id"], pid: pid.map { Int32(truncatingIfNeeded: $0) },
                        startTime: startTime.map { UInt64(bitPattern: $0) }, killRequested: row["kill_requested"],
                        restarts: row["restarts"], lastExitCode: lastExitCode.map { Int32(truncatingIfNeeded: $0) }))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM updates ORDER BY seq") {
                    let update = try Fairway_Internal_StatusUpdate(serializedBytes: row["update_bytes"] as Data)
                    let key = TaskKey(frameworkID: row["framework_id"], taskID: row["task_id"])
                    snapshot.updates.append((key, StatusUpdateQueue.Entry(sequence: row["seq"], update: update)))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM pod_networks") {
                    snapshot.podNetworks.append(PodGroupNetwork(
                        key: ExecutorKey(frameworkID: row["framework_id"], executorID: row["executor_id"]),
                        ip: row["ip"], isolated: row["isolated"], hostReason: row["host_reason"]))
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

    /// Applies changes in order, in one transaction. Statements are prepared once per connection
    /// (GRDB's statement cache): a trivial task makes eight changes.
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
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").execute(arguments: [key, value])
        case .setMeta(let key, nil):
            try db.cachedStatement(sql: "DELETE FROM meta WHERE key = ?").execute(arguments: [key])
        case .saveFramework(let info):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO frameworks (id, info) VALUES (?, ?)")
                .execute(arguments: [info.id.value, try info.serializedBytes() as Data])
        case .saveTask(let task):
            let executor: Data? = try task.executor.map { try $0.serializedBytes() }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO tasks (framework_id, task_id, info, executor, state, sandbox, executor_dir,
                    container_id, pid, start_time, kill_requested, restarts, last_exit_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [task.key.frameworkID, task.key.taskID, try task.info.serializedBytes() as Data, executor,
                                           task.state.rawValue, task.sandbox, task.executorDirectory, task.containerID,
                                           task.pid.map { Int64($0) }, task.startTime.map { Int64(bitPattern: $0) }, task.killRequested,
                                           task.restarts, task.lastExitCode.map { Int64($0) }])
        case .deleteTask(let key):
            try db.cachedStatement(sql: "DELETE FROM tasks WHERE framework_id = ? AND task_id = ?").execute(arguments: [key.frameworkID, key.taskID])
        case .appendUpdate(let key, let entry):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO updates (seq, framework_id, task_id, update_bytes) VALUES (?, ?, ?, ?)")
                .execute(arguments: [entry.sequence, key.frameworkID, key.taskID, try entry.update.serializedBytes() as Data])
        case .deleteUpdates(let sequences):
            let statement = try db.cachedStatement(sql: "DELETE FROM updates WHERE seq = ?")
            for sequence in sequences { try statement.execute(arguments: [sequence]) }
        case .deleteFramework(let id):
            try db.cachedStatement(sql: "DELETE FROM frameworks WHERE id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM tasks WHERE framework_id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM updates WHERE framework_id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM pod_networks WHERE framework_id = ?").execute(arguments: [id])
        case .savePodNetwork(let network):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO pod_networks (framework_id, executor_id, ip, isolated, host_reason) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [network.key.frameworkID, network.key.executorID, network.ip, network.isolated,
                                           network.hostReason])
        case .deletePodNetwork(let key):
            try db.cachedStatement(sql: "DELETE FROM pod_networks WHERE framework_id = ? AND executor_id = ?")
                .execute(arguments: [key.frameworkID, key.executorID])
        case .clearAll:
            try db.execute(sql: "DELETE FROM meta; DELETE FROM frameworks; DELETE FROM tasks; DELETE FROM updates; DELETE FROM pod_networks;")
        }
    }
}
