import ArgumentParser
import FrameworkKit

struct OffersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "List the resource offers outstanding: made to a framework, not yet accepted or declined.",
        discussion: """
        Columns: ID, FRAMEWORK (its name), AGENT, RESOURCES (name:amount;...). With --json, prints \
        the master's offer objects as one JSON array.
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Print the master's offer objects as a JSON array instead of a table.")
    var json = false

    func run() async throws {
        let (snapshot, raw) = try await master.inspector.masterState()
        if json { return try InspectOutput.json(try RawState(raw).offers) }
        let labels = ClusterLabels(snapshot: snapshot)
        var table = TextTable(headers: ["ID", "FRAMEWORK", "AGENT", "RESOURCES"])
        for offer in snapshot.frameworks.flatMap(\.offers).sorted(by: { naturallyBefore($0.id, $1.id) }) {
            table.append([offer.id, labels.framework(offer.frameworkID), labels.agent(offer.agentID), offer.resources.compactDescription])
        }
        InspectOutput.table(table, empty: "no outstanding offers")
    }
}
