import FairwayCore
import FairwayHTTP
import FairwayProto

/// `GET /master/state`: the Mesos v0 JSON layout that people, dashboards and scripts read
/// (`slaves`, `frameworks` with their `tasks`, `completed_tasks` and `offers`).
enum StateJSON {
    static func render(_ state: MasterState, flags: [Fairway_V1_Master_Response.Flag]) -> [String: Any] {
        let info = state.masterInfo
        let agents = state.agents.values.sorted { $0.id < $1.id }
        return [
            "version": FairwayVersion.mesosCompatible,
            "fairway_version": FairwayVersion.fairway,
            "id": info.id,
            "pid": info.pid,
            "hostname": info.hostname,
            "start_time": state.startTime,
            "elected_time": state.startTime,
            "activated_slaves": agents.filter(\.connected).count,
            "deactivated_slaves": agents.filter { !$0.connected }.count,
            "slaves": agents.map { agent(state, $0) },
            "recovered_slaves": state.recoveredAgents.values.map { ["id": $0.id.value, "hostname": $0.hostname, "port": Int($0.port)] },
            "frameworks": state.frameworks.values.sorted { $0.id < $1.id }.map { framework(state, $0) },
            "completed_frameworks": state.completedFrameworks.map { framework(state, $0) },
            "orphan_tasks": [Any](),
            "unregistered_frameworks": [Any](),
            "flags": Dictionary(flags.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
        ]
    }

    static func agent(_ state: MasterState, _ agent: AgentRecord) -> [String: Any] {
        let used = state.usedResources(onAgent: agent.id)
        let offered = state.offeredResources(onAgent: agent.id)
        var attributes: [String: Any] = [:]
        for attribute in agent.info.attributes {
            attributes[attribute.name] = attribute.type == .scalar ? attribute.scalar.value : Attributes.text(of: attribute) as Any
        }
        return [
            "id": agent.id,
            "hostname": agent.info.hostname,
            "port": Int(agent.info.port),
            "pid": agent.pid,
            "active": agent.connected,
            "version": agent.version,
            "registered_time": agent.registeredTime,
            "reregistered_time": agent.reregisteredTime ?? agent.registeredTime,
            "resources": resources(agent.total),
            "used_resources": resources(used),
            "offered_resources": resources(offered),
            "unreserved_resources": resources(agent.total.unreserved),
            "attributes": attributes,
        ]
    }

    static func framework(_ state: MasterState, _ framework: FrameworkRecord) -> [String: Any] {
        let live = framework.tasks.values.sorted { $0.id < $1.id }
        let used = live.filter { !$0.resourcesRecovered }.reduce(Resources()) { $0 + $1.resources }
        let offered = state.offeredResources(ofFramework: framework.id)
        return [
            "id": framework.id,
            "name": framework.info.name,
            "user": framework.info.user,
            "role": framework.info.isMultiRole ? (framework.info.roles.first ?? "*") : framework.info.role,
            "roles": framework.roles,
            "principal": framework.info.principal,
            "hostname": framework.info.hostname,
            "webui_url": framework.info.webuiURL,
            "active": framework.connected,
            "connected": framework.connected,
            "recovered": framework.recovered,
            "checkpoint": framework.info.checkpoint,
            "failover_timeout": framework.info.failoverTimeout,
            "registered_time": framework.registeredTime,
            "reregistered_time": framework.reregisteredTime ?? framework.registeredTime,
            "unregistered_time": framework.disconnectedTime ?? 0,
            "resources": resources(used + offered),
            "used_resources": resources(used),
            "offered_resources": resources(offered),
            "tasks": live.map(task),
            "completed_tasks": framework.completedTasks.reversed().map { task($0) },
            "offers": framework.offerIDs.sorted().compactMap { state.offers[$0] }.map { offer in
                [
                    "id": offer.id, "framework_id": offer.frameworkID, "slave_id": offer.agentID,
                    "resources": resources(offer.resources), "role": offer.role,
                ] as [String: Any]
            },
        ]
    }

    static func task(_ record: TaskRecord) -> [String: Any] {
        [
            "id": record.id,
            "name": record.task.name,
            "framework_id": record.frameworkID,
            "executor_id": record.task.hasExecutorID ? record.task.executorID.value : "",
            "slave_id": record.agentID,
            "state": record.task.state.name,
            "role": record.role,
            "resources": resources(record.resources),
            "statuses": record.task.statuses.map { status in
                ["state": status.state.name, "timestamp": status.timestamp] as [String: Any]
            },
        ]
    }

    /// Mesos v0 form: scalars as numbers, ranges as "[a-b, c-d]", sets as "{x,y}", summed over
    /// reservations.
    static func resources(_ resources: Resources) -> [String: Any] {
        var result: [String: Any] = ["cpus": 0.0, "mem": 0.0, "disk": 0.0, "gpus": 0.0]
        for (name, value) in resources.scalarTotals { result[name] = value }
        for (key, value) in resources.values {
            switch value {
            case .scalar: continue
            case .ranges, .set: result[key.name] = value.description
            }
        }
        return result
    }
}

extension StateJSON {
    /// `/master/state` from the last published state, off the master actor.
    static func response(_ published: PublishedMaster?) -> HTTPResponse {
        guard let master = published else { return .text(.serviceUnavailable, "Master is recovering; try again") }
        return .json(JSONBody.encode(render(master.state, flags: master.flags)))
    }
}
