import Foundation
import GRDB

/// What the batch framework keeps in SQLite (WAL mode) under its work dir, so that a restart, even
/// after `kill -9`, re-attaches to the same framework and loses no job: the framework id, every
/// job as submitted (spec, input splits) with its final state, and a journal of attempts — each
/// written when it is launched (before the master hears of it) and when it ends (before the status
/// update is acknowledged). Replaying the journal through the planner rebuilds every job.
public final class BatchStore: Sendable {
    let database: DatabaseQueue

    public struct StoredJob: Sendable {
        public var id: String
        public var spec: Data
        public var splits: Data
        public var submittedAt: Double
        /// Set once the job was killed (by a user) or finished.
        public var state: String?
        public var message: String?
    }

    public struct AttemptRow: Sendable, Equatable {
        public var attemptID: String
        public var jobID: String
        public var agentID: String
        public var hostname: String
        public var speculative: Bool
        public var launchedAt: Double
        /// Terminal state name (finished, failed, killed, lost) once ended.
        public var state: String?
        public var message: String?
        public var finishedAt: Double?
        /// Records and bytes a finished map or reduce attempt counted.
        public var counters: [String: Int]?
    }

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "settings") { table in
                table.primaryKey("name", .text)
                table.column("value", .text).notNull()
            }
            try db.create(table: "jobs") { table in
                table.primaryKey("id", .text)
                table.column("number", .integer).notNull().unique()
                table.column("spec", .blob).notNull()
                table.column("splits", .blob).notNull()
                table.column("submitted_at", .double).notNull()
                table.column("state", .text)
                table.column("message", .text)
            }
            try db.create(table: "attempts") { table in
                table.primaryKey("attempt_id", .text)
                table.column("job_id", .text).notNull().indexed()
                table.column("agent_id", .text).notNull()
                table.column("hostname", .text).notNull()
                table.column("speculative", .boolean).notNull()
                table.column("launched_at", .double).notNull()
                table.column("state", .text)
                table.column("message", .text)
                table.column("finished_at", .double)
                table.column("counters", .text)
            }
        }
        try migrator.migrate(database)
    }

    public func setting(_ name: String) throws -> String? {
        try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [name]) }
    }

    public func setSetting(_ name: String, _ value: String) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", arguments: [name, value])
        }
    }

    /// The number the next job gets (one more than any job ever stored).
    public func nextJobNumber() throws -> Int {
        try database.read { db in (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM jobs") ?? 0) + 1 }
    }

    public func insertJob(id: String, number: Int, spec: Data, splits: Data, submittedAt: Double) throws {
        try database.write { db in
            try db.execute(sql: "INSERT INTO jobs (id, number, spec, splits, submitted_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, number, spec, splits, submittedAt])
        }
    }

    public func setJobState(id: String, state: String, message: String?) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET state = ?, message = ? WHERE id = ?", arguments: [state, message, id])
        }
    }

    /// Every job, in submission order.
    public func loadJobs() throws -> [StoredJob] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, spec, splits, submitted_at, state, message FROM jobs ORDER BY number").map { row in
                StoredJob(id: row["id"], spec: row["spec"], splits: row["splits"], submittedAt: row["submitted_at"],
                          state: row["state"], message: row["message"])
            }
        }
    }

    public func recordLaunches(_ attempts: [AttemptRow]) throws {
        guard !attempts.isEmpty else { return }
        try database.write { db in
            for attempt in attempts {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO attempts (attempt_id, job_id, agent_id, hostname, speculative, launched_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [attempt.attemptID, attempt.jobID, attempt.agentID, attempt.hostname,
                                     attempt.speculative, attempt.launchedAt])
            }
        }
    }

    /// Records how an attempt ended; the first ending recorded stays.
    public func recordEnd(attemptID: String, state: String, message: String?, counters: [String: Int]? = nil,
                          at time: Double) throws {
        let countersText = try counters.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try database.write { db in
            try db.execute(sql: """
                UPDATE attempts SET state = ?, message = ?, finished_at = ?, counters = ? WHERE attempt_id = ? AND state IS NULL
                """, arguments: [state, message, time, countersText, attemptID])
        }
    }

    /// Every attempt, in launch order.
    public func loadAttempts() throws -> [AttemptRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT attempt_id, job_id, agent_id, hostname, speculative, launched_at, state, message, finished_at, counters
                FROM attempts ORDER BY launched_at, rowid
                """).map { row in
                let counters = (row["counters"] as String?).flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) }
                return AttemptRow(attemptID: row["attempt_id"], jobID: row["job_id"], agentID: row["agent_id"],
                                  hostname: row["hostname"], speculative: row["speculative"], launchedAt: row["launched_at"],
                                  state: row["state"], message: row["message"], finishedAt: row["finished_at"], counters: counters)
            }
        }
    }
}
