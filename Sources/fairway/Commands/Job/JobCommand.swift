import ArgumentParser
import Foundation
import FrameworkKit

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Submit, follow and kill batch jobs (array and map/reduce) on the batch framework.",
        discussion: """
        Every job command talks to the batch framework given by --batch, or $FAIRWAY_BATCH, or \
        127.0.0.1:5052 (the one 'fairway dev' starts).
        """,
        subcommands: [JobSubmitCommand.self, JobListCommand.self, JobStatusCommand.self, JobLogsCommand.self, JobKillCommand.self])
}

/// `--batch` for the job commands: which batch framework to ask.
struct BatchAddressOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The batch framework's job API, as HOST:PORT.",
        discussion: "Defaults to $FAIRWAY_BATCH, or 127.0.0.1:5052 (the batch framework of 'fairway dev').",
        valueName: "host:port"))
    var batch: String?

    var client: BatchClient {
        let given = batch ?? ProcessInfo.processInfo.environment["FAIRWAY_BATCH"].flatMap { $0.isEmpty ? nil : $0 }
        return BatchClient(address: given ?? BatchClient.defaultAddress)
    }
}

struct JobListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, most recent first.")

    @Option(help: "Show at most this many jobs.")
    var limit = 50

    @Flag(help: "Print the jobs as JSON.")
    var json = false

    @OptionGroup var address: BatchAddressOption

    func run() async throws {
        let jobs = try await address.client.jobs(limit: limit)
        if json {
            try InspectOutput.json(jobs.map(JobProgressView.jsonObject))
            return
        }
        var table = TextTable(headers: ["JOB", "NAME", "KIND", "STATE", "PROGRESS", "FAILED", "ELAPSED"], rightAligned: [5])
        for job in jobs {
            table.append([job.id, job.spec.name, job.kindName, job.stateName, JobProgressView.progressText(job),
                          String(job.failedAttempts), JobProgressView.elapsed(job)])
        }
        InspectOutput.table(table, empty: "no jobs yet — submit one with 'fairway job submit array --count 10 -- echo hi'")
    }
}

struct JobStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a job's progress, counters and, with --tasks, its attempts.")

    @Argument(help: ArgumentHelp("The job's id, as 'fairway job list' shows it.", valueName: "job-id"))
    var jobID: String

    @Flag(help: "List every task's attempts.")
    var tasks = false

    @Flag(help: "Print the job as JSON.")
    var json = false

    @OptionGroup var address: BatchAddressOption

    func run() async throws {
        let job = try await address.client.job(jobID, includeTasks: tasks)
        if json {
            try InspectOutput.json(JobProgressView.jsonObject(job))
            return
        }
        InspectOutput.write(JobProgressView.describe(job))
        if tasks { InspectOutput.table(JobProgressView.attemptTable(job), empty: "no attempts yet") }
    }
}

struct JobKillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Kill a job: its running attempts are killed and nothing more is launched.")

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job-id"))
    var jobID: String

    @OptionGroup var address: BatchAddressOption

    func run() async throws {
        let job = try await address.client.kill(jobID)
        InspectOutput.write("\(job.id) \(job.stateName)\(job.hasMessage ? ": \(job.message)" : "")")
    }
}
