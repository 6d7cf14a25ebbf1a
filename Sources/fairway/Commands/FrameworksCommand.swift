import ArgumentParser

struct FrameworksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "frameworks", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'frameworks' is not implemented yet") }
}
