import FairwayProto
import Foundation
import GRDB

/// What the master keeps on disk (SQLite, WAL mode) so that a restart, even after `kill -9`, loses
/// no agent or framework: admitted agents, subscribed frameworks, and the ID counters.
public final class Registry: Sendable {
    private let database: DatabaseQueue

    public struct Snapshot: Sendable {
        public var agents: [Fairway_V1_AgentInfo]
        public var frameworks: [(Fairway_V1_FrameworkInfo, Double)]
        public var counters: [String: Int]
    }

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        database = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "agents") { table in
                table.primaryKey("id", .text)
                table.column("info", .blob).notNull()
            }
            try db.create(table: "frameworks") { table in
                table.primaryKey("id", .text)
                table.column("info", .blob).notNull()
                table.column("registered_time", .double).notNull()
            }
            try db.create(table: "counters") { table in
                table.primaryKey("name", .text)
                table.column("value", .integer).notNull()
            }
        }
        try migrator.migrate(database)
    }

    public func load() throws -> Snapshot {
        try database.read { db in
            let agents = try Row.fetchAll(db, sql: "SELECT info FROM agents ORDER BY id").compactMap { row -> Fairway_V1_AgentInfo? in
                let bytes: Data = row["info"]
                return try? Fairway_V1_AgentInfo(serializedBytes: bytes)
            }
            let frameworks = try Row.fetchAll(db, sql: "SELECT info, registered_time FROM frameworks ORDER BY id").compactMap { row -> (Fairway_V1_FrameworkInfo, Double)? in
                let bytes: Data = row["info"]
                guard let info = try? Fairway_V1_FrameworkInfo(serializedBytes: bytes) else { return nil }
                return (info, row["registered_time"])
            }
            var counters: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") {
                counters[row["name"]] = row["value"]
            }
            return Snapshot(agents: agents, frameworks: frameworks, counters: counters)
        }
    }

    /// Applies changes in one transaction.
    public func apply(_ changes: [RegistryChange]) throws {
        guard !changes.isEmpty else { return }
        try database.write { db in
            for change in changes {
                switch change {
                case .admitAgent(let info):
                    try db.execute(sql: "INSERT OR REPLACE INTO agents (id, info) VALUES (?, ?)",
                                   arguments: [info.id.value, try info.serializedBytes() as Data])
                case .removeAgent(let id):
                    try db.execute(sql: "DELETE FROM agents WHERE id = ?", arguments: [id])
                case .addFramework(let info, let registeredTime):
                    try db.execute(sql: "INSERT OR REPLACE INTO frameworks (id, info, registered_time) VALUES (?, ?, ?)",
                                   arguments: [info.id.value, try info.serializedBytes() as Data, registeredTime])
                case .removeFramework(let id):
                    try db.execute(sql: "DELETE FROM frameworks WHERE id = ?", arguments: [id])
                case .setCounter(let name, let value):
                    try db.execute(sql: "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", arguments: [name, value])
                }
            }
        }
    }
}
