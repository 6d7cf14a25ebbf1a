import FairwayProto

/// Answers GET_FAIRNESS and `GET /fairness` from a published state: the current report, and the
/// history from the registry when a range is asked for.
struct FairnessResponder {
    let published: PublishedMaster
    let registry: Registry

    func response(_ query: FairnessQuery, now: Double) -> Result<Fairway_V1_Master_Response.GetFairness, PolicyProblem> {
        var result = Fairway_V1_Master_Response.GetFairness()
        let builder = FairnessReportBuilder(state: published.state, offerTimeout: published.offerTimeout)
        result.report = builder.report(state: published.state, now: now)
        guard let since = query.since else {
            if query.until != nil { return .failure(PolicyProblem(.invalid, "'until' needs 'since': give the start of the history range too")) }
            return .success(result)
        }
        let until = query.until ?? now
        guard since.isFinite, until.isFinite, since <= until else {
            return .failure(PolicyProblem(.invalid, "The history range must have 'since' (\(since)) at or before 'until' (\(until))"))
        }
        do {
            result.history.samples = try registry.fairnessSamples(since: since, until: until)
        } catch {
            return .failure(PolicyProblem(.unavailable, "Could not read the fairness history from the registry: \(error); try again"))
        }
        return .success(result)
    }
}
