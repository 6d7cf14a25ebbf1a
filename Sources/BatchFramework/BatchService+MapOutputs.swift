import BatchCore
import Foundation

extension BatchService {
    /// `GET /jobs/ID/map-outputs`: the winning attempts of the job's finished maps with their agents'
    /// HTTP endpoints. A map whose agent has not been seen in an offer since this framework started is
    /// left out until it has (a polling reduce simply waits for it).
    func mapOutputs(_ id: String) -> Result<MapOutputsDocument, JobAPIError> {
        guard let job = planner.job(id) else { return .failure(.unknownJob(id)) }
        guard case .mapReduce = job.spec.kind, let maps = job.phases.first else {
            return .failure(JobAPIError(status: .badRequest, message: "Job \(id) is not a map/reduce job; it has no map outputs"))
        }
        let outputs = planner.mapOutputs(jobID: id).compactMap { output -> MapOutputsDocument.Output? in
            guard let endpoint = agentEndpoints[output.agentID] else { return nil }
            return MapOutputsDocument.Output(index: output.mapIndex, agentID: output.agentID, url: "http://\(endpoint)",
                                             taskID: output.attemptID)
        }
        return .success(MapOutputsDocument(maps: maps.total, state: job.state.rawValue,
                                           outputs: outputs.sorted { $0.index < $1.index }))
    }

    /// Where reduces poll for map outputs: `http://HOST:PORT/jobs/ID/map-outputs` on the job API, or nil
    /// while the job API is not listening yet.
    func mapOutputsURL(jobID: JobID) -> String? {
        guard let server else { return nil }
        var host = options.host
        if host == "0.0.0.0" || host == "::" || host.isEmpty { host = ProcessInfo.processInfo.hostName }
        if host.contains(":") { host = "[\(host)]" }
        return "http://\(host):\(server.port)/jobs/\(jobID)/map-outputs"
    }

    /// The map-outputs feed a reduce plan's task is launched with; nil for other plans.
    func mapOutputsFeed(_ plan: LaunchPlan) -> TaskFactory.MapOutputsFeed? {
        guard case .reduce = plan.work, let maps = planner.job(plan.jobID)?.phases.first,
              let url = mapOutputsURL(jobID: plan.jobID) else { return nil }
        return TaskFactory.MapOutputsFeed(url: url, maps: maps.total)
    }
}
