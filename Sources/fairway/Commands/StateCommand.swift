import ArgumentParser

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'state' is not implemented yet") }
}
