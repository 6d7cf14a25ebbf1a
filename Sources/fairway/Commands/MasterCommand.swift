import ArgumentParser

struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "master", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'master' is not implemented yet") }
}
