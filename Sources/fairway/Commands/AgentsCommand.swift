import ArgumentParser

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'agents' is not implemented yet") }
}
