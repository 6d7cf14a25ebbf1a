import ArgumentParser
import FrameworkKit

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List tasks: by default those not yet finished.",
        discussion: """
        Columns: ID, NAME, FRAMEWORK (its name), AGENT (hostname, with the port when agents share \
        a host), STATE, CPUS, MEM. Read a task's output with 'fairway logs TASK_ID'. With --json, \
        prints the master's task objects (as in /master/state) as one JSON array.
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Include finished tasks and the tasks of completed frameworks.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("Only the tasks of this framework (its id, an id prefix, or its name).", valueName: "id"))
    var framework: String?

    @Flag(name: .long, help: "Print the master's task objects as a JSON array instead of a table.")
    var json = false

    func run() async throws {
        let (snapshot, raw) = try await master.inspector.masterState()
        let labels = ClusterLabels(snapshot: snapshot)
        let selected: (String) -> Bool = { id in framework.map { labels.matches(framework: $0, id: id) } ?? true }
        if json {
            let tasks = try RawState(raw).tasks(includeCompleted: all).filter { selected($0["framework_id"] as? String ?? "") }
            return try InspectOutput.json(tasks)
        }
        let tasks = snapshot.tasks(includeCompleted: all).filter { selected($0.frameworkID) }.sorted { lhs, rhs in
            lhs.frameworkID != rhs.frameworkID ? naturallyBefore(lhs.frameworkID, rhs.frameworkID) : naturallyBefore(lhs.id, rhs.id)
        }
        var table = TextTable(headers: ["ID", "NAME", "FRAMEWORK", "AGENT", "STATE", "CPUS", "MEM"], rightAligned: [5, 6])
        for task in tasks {
            table.append([
                task.id, task.name, labels.framework(task.frameworkID), labels.agent(task.agentID), task.state,
                QuantityFormat.number(task.resources.cpus), QuantityFormat.megabytes(task.resources.mem),
            ])
        }
        let scope = framework.map { " of framework '\($0)'" } ?? ""
        InspectOutput.table(table, empty: all ? "no tasks\(scope)" : "no running tasks\(scope) ('--all' includes finished ones)")
    }
}
