import BatchCore
import FairwayCore
import FairwayProto
import FrameworkKit

/// Turns the planner's launch plans into Mesos TaskInfos: array tasks run their command under
/// `/bin/sh -c` with `FAIRWAY_TASK_INDEX`; map and reduce tasks run `fairway mapreduce-task`
/// (this same binary on the agent's machine) with the split, commands and map output locations as
/// arguments, without a shell. Reduces also get the job API URL that lists map outputs finishing
/// later, so they can start before every map is done.
struct TaskFactory: Sendable {
    /// The `fairway` executable the agents run for map and reduce tasks.
    let executable: String

    /// Where a map/reduce attempt leaves its counters: in the job's output directory (storage the
    /// agents and the framework share), under `_temporary`, which goes when the job ends.
    static func countersFile(output: String, attemptID: String) -> String {
        output + "/_temporary/_counters/" + attemptID + ".json"
    }

    /// Where a reduce polls for map outputs that finish after it started (reduce slowstart): the job
    /// API's `GET /jobs/ID/map-outputs` and the job's number of maps.
    struct MapOutputsFeed: Sendable, Equatable {
        var url: String
        var maps: Int
    }

    /// The task for `plan` on `offer`, its resources carved out of the offer's (so reservations
    /// for our role are used as offered). `agentEndpoint` maps an agent ID to `host:port`. A reduce
    /// gets the map outputs finished so far as `--map` and, with `feed`, `--map-outputs-url URL --maps N`
    /// to learn about the others; without it the plan's map outputs must be complete.
    func task(for plan: LaunchPlan, on offer: Fairway_V1_Offer, resources: Resources, countersFile: String?,
              feed: MapOutputsFeed? = nil, agentEndpoint: (String) -> String?) -> Fairway_V1_TaskInfo {
        let name = "\(plan.jobID) \(plan.phase.noun) \(plan.index)\(plan.speculative ? " (backup)" : "")"
        let environment = ["FAIRWAY_JOB_ID": plan.jobID, "FAIRWAY_TASK_INDEX": String(plan.index)]
        switch plan.work {
        case .array(let command, _):
            return .command(id: plan.attemptID, name: name, agentID: offer.agentID, command: command,
                            resources: resources, environment: environment)
        case .map(let split, let mapper, let combiner, let partitions):
            var arguments = [executable, "mapreduce-task", "map",
                             "--split-path", split.path, "--split-offset", String(split.offset),
                             "--split-length", String(split.length), "--partitions", String(partitions),
                             "--mapper", mapper]
            if let combiner { arguments += ["--combiner", combiner] }
            if let countersFile { arguments += ["--counters-file", countersFile] }
            return .command(id: plan.attemptID, name: name, agentID: offer.agentID, arguments: arguments,
                            resources: resources, environment: environment)
        case .reduce(let partition, let reducer, let output, let mapOutputs):
            var arguments = [executable, "mapreduce-task", "reduce", "--partition", String(partition),
                             "--reducer", reducer, "--output", output, "--attempt", plan.attemptID]
            for map in mapOutputs.sorted(by: { $0.mapIndex < $1.mapIndex }) {
                // With a feed, an output whose agent's endpoint is unknown yet is left to the polling.
                guard let endpoint = agentEndpoint(map.agentID) ?? (feed == nil ? map.hostname : nil) else { continue }
                arguments += ["--map", "\(map.mapIndex)=\(map.agentID)@http://\(endpoint)/\(map.attemptID)"]
            }
            if let feed { arguments += ["--map-outputs-url", feed.url, "--maps", String(feed.maps)] }
            if let countersFile { arguments += ["--counters-file", countersFile] }
            return .command(id: plan.attemptID, name: name, agentID: offer.agentID, arguments: arguments,
                            resources: resources, environment: environment)
        }
    }
}
