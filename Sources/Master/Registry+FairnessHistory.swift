import FairwayProto
import Foundation
import GRDB

/// The fairness history: one `FairnessSample` every few seconds, kept for a bounded time.
extension Registry {
    /// At most this many samples answer one query; longer ranges are thinned evenly.
    public static let maximumHistorySamples = 2000

    /// Stores a sample and deletes those older than `retention` seconds before it, in one
    /// transaction, so the table never holds more than the retention window.
    public func appendFairnessSample(_ sample: Fairway_V1_FairnessSample, retention: Double) throws {
        let bytes = try sample.serializedBytes() as Data
        try database.write { db in
            try db.execute(sql: "INSERT INTO fairness_samples (time, sample) VALUES (?, ?)", arguments: [sample.time, bytes])
            try db.execute(sql: "DELETE FROM fairness_samples WHERE time < ?", arguments: [sample.time - retention])
        }
    }

    /// Samples with `since <= time <= until`, oldest first. When the range holds more than
    /// `limit`, every k-th sample is returned (k = ceil(count / limit)), so the whole range stays
    /// covered evenly.
    public func fairnessSamples(since: Double, until: Double,
                                limit: Int = Registry.maximumHistorySamples) throws -> [Fairway_V1_FairnessSample] {
        try database.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fairness_samples WHERE time >= ? AND time <= ?",
                                         arguments: [since, until]) ?? 0
            guard count > 0, limit > 0 else { return [] }
            let stride = (count + limit - 1) / limit
            let rows = try Row.fetchAll(db, sql: """
                SELECT sample FROM (
                    SELECT sample, time, id, ROW_NUMBER() OVER (ORDER BY time, id) AS n
                    FROM fairness_samples WHERE time >= ? AND time <= ?
                ) WHERE (n - 1) % ? = 0 ORDER BY time, id
                """, arguments: [since, until, stride])
            return rows.compactMap { row -> Fairway_V1_FairnessSample? in
                let bytes: Data = row["sample"]
                return try? Fairway_V1_FairnessSample(serializedBytes: bytes)
            }
        }
    }

    /// How many samples the history holds (for tests and diagnostics).
    public func fairnessSampleCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fairness_samples") ?? 0 }
    }
}
