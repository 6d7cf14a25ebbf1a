import ArgumentParser

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dev", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'dev' is not implemented yet") }
}
