import ArgumentParser
import FrameworkKit

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Summarise the cluster: master, agents, frameworks, tasks by state, offers.",
        discussion: """
        With --json, prints the master's /master/state document exactly as the master returned it \
        (Mesos v0 layout: slaves, frameworks with their tasks and offers, completed_frameworks).
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Print the master's whole state as JSON instead of a summary.")
    var json = false

    func run() async throws {
        let (snapshot, raw) = try await master.inspector.masterState()
        if json {
            InspectOutput.write(bytes: raw)
            if raw.last != UInt8(ascii: "\n") { InspectOutput.write("") }
            return
        }
        let agents = snapshot.agents
        let total = agents.reduce(into: (cpus: 0.0, mem: 0.0, usedCPUs: 0.0, usedMem: 0.0)) { sum, agent in
            sum.cpus += agent.resources.cpus
            sum.mem += agent.resources.mem
            sum.usedCPUs += agent.usedResources.cpus
            sum.usedMem += agent.usedResources.mem
        }
        var byState: [String: Int] = [:]
        for task in snapshot.tasks(includeCompleted: true) { byState[task.state, default: 0] += 1 }
        let taskSummary = byState.isEmpty ? "none"
            : byState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        var table = TextTable(headers: [])
        table.append(["master", "\(snapshot.id ?? "?") (version \(snapshot.version ?? "?")) at \(master.address)"])
        table.append(["agents", "\(agents.count) (\(agents.filter(\.active).count) active)"])
        table.append(["cpus", "\(QuantityFormat.number(total.usedCPUs)) of \(QuantityFormat.number(total.cpus)) in use"])
        table.append(["mem", "\(QuantityFormat.megabytes(total.usedMem)) of \(QuantityFormat.megabytes(total.mem)) in use"])
        table.append(["frameworks", "\(snapshot.frameworks.count) subscribed, \(snapshot.completedFrameworks.count) completed"])
        table.append(["tasks", taskSummary])
        table.append(["offers", "\(snapshot.frameworks.flatMap(\.offers).count) outstanding"])
        InspectOutput.write(table.render())
    }
}
