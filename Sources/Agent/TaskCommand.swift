import FairwayProto

/// What to `exec` for a task: the program, its argv (argv[0] included) and whether to search
/// `PATH` for it. A shell command is `/bin/sh -c VALUE`.
public struct TaskCommand: Sendable, Equatable {
    public var program: String
    public var arguments: [String]
    public var searchPath: Bool

    public init(program: String, arguments: [String], searchPath: Bool) {
        self.program = program
        self.arguments = arguments
        self.searchPath = searchPath
    }

    /// Reads a `CommandInfo`: `shell` (the default) runs `value` under `/bin/sh -c`; otherwise
    /// `value` is the program and `arguments` its argv. Returns an error message for a command that
    /// cannot run.
    public static func from(_ command: Fairway_V1_CommandInfo) -> Result<TaskCommand, AgentError> {
        let shell = command.hasShell ? command.shell : true
        guard command.hasValue, !command.value.isEmpty else {
            return .failure(AgentError("the task's command has no value: give a shell command, or a program with shell=false"))
        }
        if shell {
            return .success(TaskCommand(program: "/bin/sh", arguments: ["sh", "-c", command.value], searchPath: false))
        }
        let argv = command.arguments.isEmpty ? [command.value] : command.arguments
        return .success(TaskCommand(program: command.value, arguments: argv, searchPath: !command.value.contains("/")))
    }
}
