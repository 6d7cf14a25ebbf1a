/// The command line of the launcher mode (`fairway launch …`), built by the agent and read back by
/// the launcher, defined in one place so both sides agree:
///
///     fairway launch --sandbox DIR [--cgroup PROCS_FILE]... [--search-path] --program PROG -- ARGV...
public struct LauncherArguments: Sendable, Equatable {
    public var sandbox: String
    public var cgroupProcsFiles: [String]
    public var command: TaskCommand

    public init(sandbox: String, cgroupProcsFiles: [String], command: TaskCommand) {
        self.sandbox = sandbox
        self.cgroupProcsFiles = cgroupProcsFiles
        self.command = command
    }

    /// The arguments after the subcommand name.
    public var rendered: [String] {
        var arguments = ["--sandbox", sandbox]
        for file in cgroupProcsFiles { arguments += ["--cgroup", file] }
        if command.searchPath { arguments.append("--search-path") }
        arguments += ["--program", command.program, "--"]
        arguments += command.arguments
        return arguments
    }

    /// The file the launcher writes its error to when it fails before `exec`, so the agent can
    /// report a launch failure rather than an ordinary exit status.
    public static let errorFileName = ".fairway-launch-error"

    /// The exit status of a launcher that failed before `exec` (as a shell's "cannot execute").
    public static let failureExitStatus: Int32 = 127
}
