import ArgumentParser

struct LaunchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "launch", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'launch' is not implemented yet") }
}
