import Foundation
import GRDB

/// The SQLite file behind the store (WAL): one table of objects and the global
/// resourceVersion, written with every change so it never goes backwards across restarts.
final class ObjectDatabase: Sendable {
    let queue: DatabaseQueue

    struct Row: Sendable {
        var resource: String
        var namespace: String
        var name: String
        var body: String
    }

    init(path: String) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "objects") { table in
                table.column("resource", .text).notNull()
                table.column("namespace", .text).notNull()
                table.column("name", .text).notNull()
                table.column("uid", .text).notNull()
                table.column("resource_version", .integer).notNull()
                table.column("body", .text).notNull()
                table.primaryKey(["resource", "namespace", "name"])
            }
            try db.create(table: "settings") { table in
                table.primaryKey("name", .text)
                table.column("value", .integer).notNull()
            }
        }
        try migrator.migrate(queue)
    }

    /// The last resourceVersion written (0 for a new file).
    func resourceVersion() throws -> UInt64 {
        try queue.read { db in
            let stored = try Int64.fetchOne(db, sql: "SELECT value FROM settings WHERE name = 'resourceVersion'") ?? 0
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(resource_version) FROM objects") ?? 0
            return UInt64(max(stored, newest, 0))
        }
    }

    func loadAll() throws -> [Row] {
        try queue.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT resource, namespace, name, body FROM objects").map {
                Row(resource: $0["resource"], namespace: $0["namespace"], name: $0["name"], body: $0["body"])
            }
        }
    }

    /// One object to store, or with a nil body, to remove.
    struct Change: Sendable {
        var resource: String
        var namespace: String
        var name: String
        var uid: String
        var body: String?
    }

    /// Stores (or with nil, removes) one object and the new resourceVersion in one transaction.
    func write(resource: String, namespace: String, name: String, uid: String, body: String?, resourceVersion: UInt64) throws {
        try write([Change(resource: resource, namespace: namespace, name: name, uid: uid, body: body)], resourceVersion: resourceVersion)
    }

    /// Stores several changes and the newest resourceVersion in one transaction. Each object row
    /// carries the version it was written at (the last one for the highest).
    func write(_ changes: [Change], resourceVersion: UInt64) throws {
        try queue.write { db in
            var version = Int64(resourceVersion) - Int64(changes.count)
            for change in changes {
                version += 1
                // Statements prepared once per connection, not parsed again for every write.
                if let body = change.body {
                    try db.cachedStatement(sql: """
                        INSERT OR REPLACE INTO objects (resource, namespace, name, uid, resource_version, body)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [change.resource, change.namespace, change.name, change.uid, version, body])
                } else {
                    try db.cachedStatement(sql: "DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
                        .execute(arguments: [change.resource, change.namespace, change.name])
                }
            }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO settings (name, value) VALUES ('resourceVersion', ?)")
                .execute(arguments: [Int64(resourceVersion)])
        }
    }
}
