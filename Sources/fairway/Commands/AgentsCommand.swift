import ArgumentParser
import FrameworkKit

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "List the agents registered with the master and how much of each is in use.",
        discussion: """
        Columns: ID, HOSTNAME (the agent's name, its pods' NODE), ADDRESS (IP:PORT where it is reached), \
        CPUS and MEM as used/total, ACTIVE (no while the agent is \
        disconnected or deactivated), ATTRIBUTES (name:value;...). With --json, prints the master's \
        `slaves` array from /master/state unchanged.
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Print the master's agent objects as a JSON array instead of a table.")
    var json = false

    func run() async throws {
        let (snapshot, raw) = try await master.inspector.masterState()
        if json { return try InspectOutput.json(try RawState(raw).agents) }
        var table = TextTable(headers: ["ID", "HOSTNAME", "ADDRESS", "CPUS", "MEM", "ACTIVE", "ATTRIBUTES"])
        for agent in snapshot.agents.sorted(by: { naturallyBefore($0.id, $1.id) }) {
            table.append([
                agent.id,
                agent.hostname,
                agent.address ?? "",
                QuantityFormat.number(agent.usedResources.cpus) + "/" + QuantityFormat.number(agent.resources.cpus),
                QuantityFormat.megabytes(agent.usedResources.mem) + "/" + QuantityFormat.megabytes(agent.resources.mem),
                agent.active ? "yes" : "no",
                agent.attributesDescription,
            ])
        }
        InspectOutput.table(table, empty: "no agents are registered with the master at \(master.address)")
    }
}
