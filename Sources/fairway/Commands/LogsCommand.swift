import ArgumentParser

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'logs' is not implemented yet") }
}
