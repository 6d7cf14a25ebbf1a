import Allocator
import FairwayHTTP

/// `GET /metrics`: Prometheus text format, rendered from the published state off the master actor.
struct MetricsEndpoint {
    func handle(_ request: HTTPRequest, published: PublishedMaster?) -> HTTPResponse {
        if let refusal = RequestChecks.methodRefusal(request, allowed: .GET) { return refusal }
        guard let master = published else { return .text(.serviceUnavailable, "Master is recovering; try again") }
        let analysis = FairnessAnalysis(master.state.allocator.fairnessSnapshot())
        let text = MasterMetrics.render(master, analysis: analysis)
        return HTTPResponse(status: .ok, headers: ["Content-Type": MasterMetrics.contentType], body: Array(text.utf8))
    }
}
