import Allocator
import ArgumentParser
import FairwayCore
import Foundation
import Simulation

struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate a cluster on a virtual clock to try a weight or quota policy before using it.",
        discussion: """
        Runs the real master state machine and DRF allocator with simulated agents and frameworks; \
        nothing is launched and nothing sleeps, so an hour of cluster time takes seconds. Frameworks \
        fw-1 ... fw-M are spread round-robin over roles role-1 ... role-R; each draws one task shape \
        (seeded) and keeps launching tasks of it on the offers it gets, as many as fit; tasks run for a \
        drawn duration and finish. With --request even (the default) the even-numbered frameworks also \
        declare their next pending tasks with the REQUEST call; the odd ones take offers as Mesos \
        frameworks do. Every --sample-interval seconds the fairness view is sampled.

        Prints the frameworks and roles with their final and mean dominant shares and ideal DRF \
        shares, the history of dominant shares with Jain's index, utilisation, tasks completed, and \
        the wall-clock latency of the allocation passes. --json prints all of it as one JSON object.

        Example: fairway sim --agents 50 --frameworks 6 --roles 2 --weights role-1=2 \
        --quota 'role-2=cpus:100;mem:204800' --seconds 600
        """)

    @Option(help: "Simulated agents.")
    var agents = 10

    @Option(help: "Simulated frameworks (fw-1 ... fw-M).")
    var frameworks = 4

    @Option(help: "Roles role-1 ... role-R the frameworks are spread over (fw-1 in role-1, fw-2 in role-2, ...).")
    var roles = 1

    @Option(help: "Virtual seconds to simulate.")
    var seconds: Double = 300

    @Option(help: "Seed of every random draw; the same seed gives the same history.")
    var seed: UInt64 = 1

    @Option(help: "Virtual seconds between fairness samples.")
    var sampleInterval: Double = 5

    @Option(help: ArgumentHelp("Role weights, comma-separated, e.g. role-1=2,role-2=0.5 (repeatable).", valueName: "role=weight,..."))
    var weights: [String] = []

    @Option(help: ArgumentHelp("A role's quota guarantee in Mesos syntax, e.g. 'role-1=cpus:10;mem:20480' (quote the ;). Repeatable.",
                               valueName: "role=resources"))
    var quota: [String] = []

    @Option(help: ArgumentHelp("A role's quota limit, same syntax as --quota. Repeatable.", valueName: "role=resources"))
    var quotaLimit: [String] = []

    @Option(help: "Resources of every simulated agent, in Mesos syntax.")
    var agentResources = "cpus:16;mem:65536;disk:100000"

    @Option(help: ArgumentHelp("A task shape frameworks may draw, e.g. 'cpus:1;mem:2048' (repeatable; default: 1/2048, 2/8192, 4/4096, 0.5/1024).",
                               valueName: "resources"))
    var shape: [String] = []

    @Option(help: ArgumentHelp("Range task durations are drawn from, in virtual seconds.", valueName: "min-max"))
    var taskDuration = "10-60"

    @Option(help: "Tasks each framework has to run in all (default: an endless backlog).")
    var backlog: Int?

    @Option(help: "Which frameworks declare their pending tasks with REQUEST: none, even (fw-2, fw-4, ...) or all.")
    var request: String = "even"

    @Option(help: "refuse_seconds the frameworks send when they decline an offer they cannot use (default: none, so the master's 5 s).")
    var refuseSeconds: Double?

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        do {
            try makeConfiguration().validate()
        } catch let error as SimulationError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        var simulation = try Simulation(configuration: try makeConfiguration())
        let showProgress = isatty(STDERR_FILENO) == 1
        let report = simulation.run { time in
            guard showProgress else { return }
            FileHandle.standardError.write(Data("\rsimulated \(Int(time)) of \(Int(seconds)) s".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data((report.text() + "\n").utf8))
        }
    }

    func makeConfiguration() throws -> SimulationConfiguration {
        guard let declaration = SimulationConfiguration.DemandDeclaration(rawValue: request) else {
            throw ValidationError("--request must be none, even or all, not '\(request)'")
        }
        var configuration = SimulationConfiguration(
            agents: agents, frameworks: frameworks, roles: roles, seconds: seconds, seed: seed,
            sampleInterval: sampleInterval, taskDuration: try Self.range(taskDuration),
            backlog: backlog, demandDeclaration: declaration, refuseSeconds: refuseSeconds)
        configuration.agentResources = try Self.resources(agentResources, flag: "--agent-resources")
        if !shape.isEmpty { configuration.shapes = try shape.map { try Self.resources($0, flag: "--shape") } }
        for entry in weights.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let (role, value) = try Self.assignment(entry, flag: "--weights")
            guard let weight = Double(value) else { throw ValidationError("--weights: '\(value)' for \(role) is not a number") }
            configuration.weights[role] = weight
        }
        for (entries, flag) in [(quota, "--quota"), (quotaLimit, "--quota-limit")] {
            for entry in entries {
                let (role, text) = try Self.assignment(entry, flag: flag)
                let amounts = try Self.resources(text, flag: flag).scalarTotals
                var roleQuota = configuration.quotas[role] ?? RoleQuota()
                if flag == "--quota" { roleQuota.guarantees = amounts } else { roleQuota.limits = amounts }
                configuration.quotas[role] = roleQuota
            }
        }
        return configuration
    }

    static func assignment(_ text: String, flag: String) throws -> (String, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(flag) takes role=value, not '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func resources(_ text: String, flag: String) throws -> Resources {
        do {
            return try Resources(parsing: text)
        } catch {
            throw ValidationError("\(flag): '\(text)' is not Mesos resource syntax (\(error.message)); e.g. 'cpus:1;mem:2048'")
        }
    }

    static func range(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: "-", maxSplits: 1).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count == 1, let value = parts[0], value > 0 { return value...value }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low > 0, low <= high else {
            throw ValidationError("--task-duration takes MIN-MAX in seconds with 0 < MIN <= MAX, like 10-60, not '\(text)'")
        }
        return low...high
    }
}
