import ArgumentParser

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'tasks' is not implemented yet") }
}
