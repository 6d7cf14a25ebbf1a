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

    /// Reads back what `rendered` produced (the arguments after `launch`), without ArgumentParser:
    /// the fairway entry point handles `launch` first thing, so a per-task launcher does not pay for
    /// parsing the whole command tree.
    public init(parsing arguments: [String]) throws(AgentError) {
        var sandbox: String?
        var cgroups: [String] = []
        var searchPath = false
        var program: String?
        var index = 0
        func value(_ flag: String) throws(AgentError) -> String {
            index += 1
            guard index < arguments.count else { throw AgentError("\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--sandbox": sandbox = try value(argument)
            case "--cgroup": cgroups.append(try value(argument))
            case "--search-path": searchPath = true
            case "--program": program = try value(argument)
            case "--":
                guard let sandbox, let program else { throw AgentError("launch needs --sandbox DIR and --program PROGRAM before `--`") }
                self.init(sandbox: sandbox, cgroupProcsFiles: cgroups,
                          command: TaskCommand(program: program, arguments: Array(arguments[(index + 1)...]), searchPath: searchPath))
                return
            default: throw AgentError("unknown launch argument \(argument)")
            }
            index += 1
        }
        guard let sandbox, let program else { throw AgentError("launch needs --sandbox DIR and --program PROGRAM") }
        self.init(sandbox: sandbox, cgroupProcsFiles: cgroups, command: TaskCommand(program: program, arguments: [], searchPath: searchPath))
    }

    /// The file the launcher writes its error to when it fails before `exec`, so the agent can
    /// report a launch failure rather than an ordinary exit status.
    public static let errorFileName = ".fairway-launch-error"

    /// The exit status of a launcher that failed before `exec` (as a shell's "cannot execute").
    public static let failureExitStatus: Int32 = 127
}
