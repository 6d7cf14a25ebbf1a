import ArgumentParser

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'agent' is not implemented yet") }
}
