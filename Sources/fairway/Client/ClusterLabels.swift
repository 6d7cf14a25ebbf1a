import Foundation
import FrameworkKit

/// Short names for ids in tables: framework names, agent hostnames.
struct ClusterLabels {
    let snapshot: ClusterSnapshot

    func framework(_ id: String) -> String {
        guard let framework = snapshot.framework(id: id), !framework.name.isEmpty else { return id }
        return framework.name
    }

    /// The agent's hostname, with its port when several agents share the hostname (a local
    /// cluster runs them all on 127.0.0.1).
    func agent(_ id: String) -> String {
        guard let agent = snapshot.agent(id: id), !agent.hostname.isEmpty else { return id }
        let sharing = snapshot.agents.filter { $0.hostname == agent.hostname }.count
        return sharing > 1 ? (agent.address ?? agent.hostname) : agent.hostname
    }

    /// True when `id` selects the framework: its id, a prefix of it, or its name.
    func matches(framework filter: String, id: String) -> Bool {
        id == filter || id.hasPrefix(filter) || snapshot.framework(id: id)?.name == filter
    }
}

/// Orders ids with their numbers compared by value: task-2 before task-10.
func naturallyBefore(_ lhs: String, _ rhs: String) -> Bool {
    lhs.compare(rhs, options: .numeric) == .orderedAscending
}
