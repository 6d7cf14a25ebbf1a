import Foundation
import FrameworkKit

/// The master's `/master/state` as untyped JSON, for `--json` output that passes the master's own
/// objects through unchanged (filtered the same way as the tables).
struct RawState {
    let root: [String: Any]

    init(_ bytes: [UInt8]) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw InspectionError("the master's state is not a JSON object")
        }
        self.root = root
    }

    func objects(_ key: String, in object: [String: Any]? = nil) -> [[String: Any]] {
        ((object ?? root)[key] as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }

    var agents: [[String: Any]] { objects("slaves") }

    func frameworks(includeCompleted: Bool) -> [[String: Any]] {
        objects("frameworks") + (includeCompleted ? objects("completed_frameworks") : [])
    }

    /// Task objects in the same order as `ClusterSnapshot.tasks(includeCompleted:)`.
    func tasks(includeCompleted: Bool) -> [[String: Any]] {
        var tasks = objects("frameworks").flatMap { objects("tasks", in: $0) }
        if includeCompleted {
            tasks += objects("frameworks").flatMap { objects("completed_tasks", in: $0) }
            tasks += objects("completed_frameworks").flatMap { objects("tasks", in: $0) + objects("completed_tasks", in: $0) }
        }
        return tasks
    }

    var offers: [[String: Any]] { objects("frameworks").flatMap { objects("offers", in: $0) } }
}
