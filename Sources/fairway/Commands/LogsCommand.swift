import ArgumentParser
import FrameworkKit

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a task's standard output (or error), read from its sandbox on the agent.",
        discussion: """
        Finds the task through the master (running or finished), its sandbox through the agent's \
        /state, and reads the file through the agent's /files/read. With --follow, keeps printing \
        new output every half second until the task has ended and the file stops growing; Ctrl-C \
        stops earlier.
        """)

    @Argument(help: ArgumentHelp("The task's id, as 'fairway tasks --all' lists it.", valueName: "task-id"))
    var taskID: String

    @Flag(name: .long, help: "Print the task's standard error instead of its standard output (a pod's containers keep both in one log: their standard output).")
    var stderr = false

    @Flag(name: [.short, .long], help: "Keep printing output as it is written, until the task has ended.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Print only the last N lines (then follow, with --follow).", valueName: "n"))
    var tail: Int?

    @Option(name: .long, help: ArgumentHelp("The task's framework (id, id prefix or name), when several frameworks used the same task id.", valueName: "id"))
    var framework: String?

    @OptionGroup var master: InspectMasterOption

    func validate() throws {
        if let tail, tail < 0 { throw ValidationError("--tail wants a number of lines, 0 or more") }
    }

    func run() async throws {
        let inspector = master.inspector
        let (snapshot, _) = try await inspector.masterState()
        guard var task = try findTask(in: snapshot) else {
            throw InspectionError("no task '\(taskID)'\(framework.map { " in framework '\($0)'" } ?? "") — see 'fairway tasks --all'")
        }
        let sandbox = try await inspector.sandbox(of: task, in: snapshot)
        let reader = TaskLogReader(inspector: inspector, agent: sandbox.agentAddress, path: sandbox.path(stderr ? "stderr" : "stdout"))
        let size = try await reader.size()
        var offset = 0
        if let tail { offset = try await reader.startOfLastLines(tail, size: size) }
        offset = try await reader.copy(from: offset)
        guard follow else { return }

        while true {
            try await Task.sleep(for: .milliseconds(500))
            let grown = try await reader.copy(from: offset)
            if grown > offset {
                offset = grown
                continue
            }
            if task.isTerminal { return }
            if let refreshed = try findTask(in: try await inspector.masterState().snapshot) { task = refreshed }
            // Once the task has ended, one more read catches output written just before the end.
            if task.isTerminal { offset = try await reader.copy(from: offset) }
        }
    }

    private func findTask(in snapshot: ClusterSnapshot) throws -> ClusterSnapshot.Task? {
        if let framework { return snapshot.task(id: taskID, frameworkID: snapshot.frameworkID(matching: framework)) }
        return snapshot.task(id: taskID)
    }
}

extension ClusterSnapshot {
    /// The framework id a user's `--framework` names: an id, an id prefix, or a name.
    func frameworkID(matching filter: String) -> String {
        let all = frameworks + completedFrameworks
        return all.first { $0.id == filter }?.id ?? all.first { $0.name == filter }?.id ?? filter
    }
}
