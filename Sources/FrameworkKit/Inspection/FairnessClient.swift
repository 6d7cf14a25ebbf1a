import FairwayCore
import FairwayProto
import Foundation

/// Reads the master's fairness view, `GET /fairness`: the current report and, for a time range,
/// the sampled history behind `fairway fairness --since … --svg …`.
public struct FairnessClient: Sendable {
    /// The master as `host:port`.
    public let master: String
    /// Deadline of each request, in seconds.
    public var timeout: Double = 10

    public init(master: String) {
        self.master = MasterAddress.normalize(master) ?? master
    }

    /// The fairness view, parsed, with the exact bytes the master sent (for `--json`). The history
    /// is asked for, and present, only when `since` is given; `until` defaults to the master's now.
    public func fairness(since: FairnessTimeBound? = nil, until: FairnessTimeBound? = nil) async throws
        -> (response: Fairway_V1_Master_Response.GetFairness, raw: [UInt8]) {
        let path = Self.path(since: since, until: until)
        let raw = try await get(path)
        return (try decode(raw), raw)
    }

    /// `/fairness`, with `since` and `until` as query parameters when given.
    public static func path(since: FairnessTimeBound?, until: FairnessTimeBound?) -> String {
        var query: [String] = []
        if let since { query.append("since=\(ClusterInspector.queryEncode(since.queryValue))") }
        if let until { query.append("until=\(ClusterInspector.queryEncode(until.queryValue))") }
        return query.isEmpty ? "/fairness" : "/fairness?" + query.joined(separator: "&")
    }

    /// Parses a `/fairness` body (Mesos JSON rules; fields this client does not know are ignored).
    public static func decode(_ bytes: [UInt8]) throws(MessageDecodingError) -> Fairway_V1_Master_Response.GetFairness {
        try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: bytes)
    }

    private func decode(_ raw: [UInt8]) throws -> Fairway_V1_Master_Response.GetFairness {
        do {
            return try Self.decode(raw)
        } catch {
            throw InspectionError("the master at \(master) returned a fairness view this fairway cannot read: \(error.message)")
        }
    }

    private func get(_ path: String) async throws -> [UInt8] {
        var inspector = ClusterInspector(master: master)
        inspector.timeout = timeout
        return try await inspector.get(master, path, what: "the master", notFound:
            "the master at \(master) has no /fairness endpoint: it runs an older Fairway — upgrade it, or point --master at a current one")
    }
}
