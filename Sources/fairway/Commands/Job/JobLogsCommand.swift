import ArgumentParser
import FairwayProto
import FrameworkKit

struct JobLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the output of one of a job's tasks, read from its sandbox on the agent.",
        discussion: """
        Picks the task's winning attempt, or its latest one (--attempt names another), and reads it \
        like 'fairway logs' does. Without --task: the first task that failed, else task 0.
        """)

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job-id"))
    var jobID: String

    @Option(help: "The task's index.")
    var task: Int?

    @Option(help: "The phase of --task in a map/reduce job: map or reduce.")
    var phase: String?

    @Option(help: "An attempt id, as 'fairway job status --tasks' lists them.")
    var attempt: String?

    @Flag(name: .long, help: "Print standard error instead of standard output.")
    var stderr = false

    @Flag(name: [.short, .long], help: "Keep printing output as it is written, until the attempt has ended.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Print only the last N lines.", valueName: "n"))
    var tail: Int?

    @OptionGroup var address: BatchAddressOption
    @OptionGroup var master: InspectMasterOption

    func validate() throws {
        if let phase, !["map", "reduce", "task"].contains(phase) { throw ValidationError("--phase is map or reduce") }
    }

    func run() async throws {
        let job = try await address.client.job(jobID, includeTasks: true)
        let attemptID = try attempt ?? pick(in: job)
        var arguments = [attemptID, "--master", master.address]
        if stderr { arguments.append("--stderr") }
        if follow { arguments.append("--follow") }
        if let tail { arguments += ["--tail", String(tail)] }
        let logs = try LogsCommand.parse(arguments)
        try await logs.run()
    }

    private func pick(in job: Fairway_V1_Batch_Job) throws -> String {
        let tasks = job.tasks.filter { !$0.attempts.isEmpty }
        let chosen: Fairway_V1_Batch_Task?
        if let task {
            chosen = tasks.first { $0.index == task && (phase == nil || $0.phase.noun == phase) }
        } else {
            chosen = tasks.first { $0.attempts.contains { $0.state == .failed } } ?? tasks.first
        }
        guard let chosen else {
            throw InspectionError("\(job.id) has no \(task.map { "task \($0) attempt" } ?? "attempt") yet — see 'fairway job status \(job.id) --tasks'")
        }
        let attempt = chosen.attempts.last { $0.state == .succeeded } ?? chosen.attempts.last { $0.state == .failed } ?? chosen.attempts[chosen.attempts.count - 1]
        return attempt.id
    }
}
