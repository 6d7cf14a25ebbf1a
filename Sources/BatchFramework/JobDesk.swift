import FairwayProto
import NIOHTTP1

import BatchCore
/// What the job API asks of the batch framework: the four calls of `fairway.v1.batch.Call`,
/// plus where a map/reduce job's finished map outputs are (for reduces started before every map is done).
protocol JobDesk: Sendable {
    func submit(_ spec: Fairway_V1_Batch_JobSpec) async -> Result<Fairway_V1_Batch_Job, JobAPIError>
    func job(_ id: String, includeTasks: Bool) async -> Result<Fairway_V1_Batch_Job, JobAPIError>
    func jobs(limit: Int) async -> [Fairway_V1_Batch_Job]
    func kill(_ id: String) async -> Result<Fairway_V1_Batch_Job, JobAPIError>
    func mapOutputs(_ id: String) async -> Result<MapOutputsDocument, JobAPIError>
}

/// A refused job call: the HTTP status and a message that says what to change.
struct JobAPIError: Error, Sendable, Equatable {
    var status: HTTPResponseStatus
    var message: String

    static func invalid(_ problems: [String]) -> JobAPIError {
        JobAPIError(status: .badRequest, message: "Invalid job: " + problems.joined(separator: "; "))
    }

    static func unknownJob(_ id: String) -> JobAPIError {
        JobAPIError(status: .notFound, message: "No job \(id); `fairway job list` shows the known jobs")
    }
}
