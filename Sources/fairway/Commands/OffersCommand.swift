import ArgumentParser

struct OffersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "offers", abstract: "Not yet implemented.")
    func run() async throws { throw ValidationError("'offers' is not implemented yet") }
}
