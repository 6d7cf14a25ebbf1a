import ArgumentParser
import FrameworkKit

struct FrameworksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frameworks",
        abstract: "List the frameworks subscribed to the master and what they use.",
        discussion: """
        Columns: ID, NAME, ROLE, ACTIVE/CONNECTED (a disconnected framework keeps its tasks until \
        its failover timeout), TASKS (tasks not yet finished), CPUS and MEM in use. With --json, \
        prints the master's framework objects from /master/state unchanged.
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Also list completed (torn down or timed out) frameworks.")
    var all = false

    @Flag(name: .long, help: "Print the master's framework objects as a JSON array instead of a table.")
    var json = false

    func run() async throws {
        let (snapshot, raw) = try await master.inspector.masterState()
        if json { return try InspectOutput.json(try RawState(raw).frameworks(includeCompleted: all)) }
        var table = TextTable(headers: ["ID", "NAME", "ROLE", "ACTIVE/CONNECTED", "TASKS", "CPUS", "MEM"], rightAligned: [4, 5, 6])
        let frameworks = snapshot.frameworks + (all ? snapshot.completedFrameworks : [])
        for framework in frameworks {
            table.append([
                framework.id,
                framework.name,
                framework.roleDescription,
                (framework.active ? "yes" : "no") + "/" + (framework.connected ? "yes" : "no"),
                String(framework.tasks.count),
                QuantityFormat.number(framework.usedResources.cpus),
                QuantityFormat.megabytes(framework.usedResources.mem),
            ])
        }
        InspectOutput.table(table, empty: all ? "no frameworks" : "no frameworks are subscribed ('--all' includes completed ones)")
    }
}
