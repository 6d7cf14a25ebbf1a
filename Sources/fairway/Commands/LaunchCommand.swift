import Agent
import ArgumentParser

/// The per-task launcher mode: with `fairway agent --launcher fairway` the agent starts every task
/// as `fairway launch …`, which joins the task's cgroups, enters its sandbox and `exec`s the task.
/// Internal, hence hidden from `--help`; the argument format is `LauncherArguments` in the Agent
/// module. `Entry` runs well-formed invocations before ArgumentParser (cheaper per task); this
/// command is what explains malformed ones.
struct LaunchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Internal: start one task in its sandbox and cgroups (used by the agent).",
        shouldDisplay: false
    )

    @Option(help: "The task's sandbox directory (the working directory).")
    var sandbox: String

    @Option(name: .customLong("cgroup"), help: "A cgroup.procs file to join (repeatable).")
    var cgroups: [String] = []

    @Flag(help: "Look the program up in PATH.")
    var searchPath = false

    @Option(help: "The program to exec.")
    var program: String

    @Argument(parsing: .postTerminator, help: "argv of the program, argv[0] included, after `--`.")
    var argv: [String] = []

    func run() async throws {
        LauncherMode.run(LauncherArguments(sandbox: sandbox, cgroupProcsFiles: cgroups,
                                           command: TaskCommand(program: program, arguments: argv, searchPath: searchPath)))
    }
}
