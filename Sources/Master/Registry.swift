import Allocator
import FairwayProto
import Foundation
import GRDB

/// What the master keeps on disk (SQLite, WAL mode) so that a restart, even after `kill -9`, loses
/// no agent or framework: admitted agents, subscribed frameworks, the ID counters, the operator's
/// role weights and quotas, and the fairness history.
public final class Registry: Sendable {
    let database: DatabaseQueue

    public struct Snapshot: Sendable {
        public var agents: [Fairway_V1_AgentInfo]
        public var frameworks: [(Fairway_V1_FrameworkInfo, Double)]
        public var counters: [String: Int]
        /// Weights set with UPDATE_WEIGHTS, by role.
        public var weights: [String: Double] = [:]
        /// Quotas set with UPDATE_QUOTA, by role.
        public var quotas: [String: RoleQuota] = [:]
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
        migrator.registerMigration("v2-policy-and-fairness") { db in
            try db.create(table: "role_weights") { table in
                table.primaryKey("role", .text)
                table.column("weight", .double).notNull()
            }
            try db.create(table: "role_quotas") { table in
                table.primaryKey("role", .text)
                table.column("config", .blob).notNull()
            }
            try db.create(table: "fairness_samples") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .double).notNull().indexed()
                table.column("sample", .blob).notNull()
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
            var weights: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT role, weight FROM role_weights") {
                weights[row["role"]] = row["weight"]
            }
            var quotas: [String: RoleQuota] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT role, config FROM role_quotas") {
                let bytes: Data = row["config"]
                guard let config = try? Fairway_V1_Quota_QuotaConfig(serializedBytes: bytes) else { continue }
                quotas[row["role"]] = RoleQuota(config: config)
            }
            return Snapshot(agents: agents, frameworks: frameworks, counters: counters, weights: weights, quotas: quotas)
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
                case .setWeight(let role, let weight):
                    try db.execute(sql: "INSERT OR REPLACE INTO role_weights (role, weight) VALUES (?, ?)", arguments: [role, weight])
                case .setQuota(let config):
                    try db.execute(sql: "INSERT OR REPLACE INTO role_quotas (role, config) VALUES (?, ?)",
                                   arguments: [config.role, try config.serializedBytes() as Data])
                case .removeQuota(let role):
                    try db.execute(sql: "DELETE FROM role_quotas WHERE role = ?", arguments: [role])
                }
            }
        }
    }
}
