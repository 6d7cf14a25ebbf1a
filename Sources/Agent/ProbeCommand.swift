import Glibc
import Spawning

/// Runs a COMMAND probe: `posix_spawn` (never a `fork` of the agent) of the command behind the
/// pod's network-namespace prefix, with the task's environment, in the task's sandbox, in a session
/// of its own with output discarded; the whole session is killed at the timeout or when the probe
/// is cancelled. The agent's reaper watches only task pids, so the probe reaps its own child.
enum ProbeCommand {

    static func run(_ command: TaskCommand, prefix: [String], environment: [String: String], directory: String?,
                    timeout: Double) async -> ProbeResult {
        let argv = arguments(command, prefix: prefix, environment: environment)
        let pid: pid_t
        switch spawn(argv, environment: environment, directory: directory) {
        case .success(let started): pid = started
        case .failure(let error): return .failed(error.message)
        }
        let deadline = ContinuousClock.now + .seconds(timeout)
        var pause = 1
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return .exited(ProcessExit(waitStatus: status).containerExitCode) }
            if result < 0 && errno != EINTR { return .failed("lost the probe command's process: \(LinuxCalls.errorText(errno))") }
            if Task.isCancelled || ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 20)
        }
        if kill(-pid, SIGKILL) != 0 { _ = kill(pid, SIGKILL) }
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return .timedOut(timeout)
    }

    /// The argv to start: behind a prefix (`ip netns exec NS`) the program goes first, for the
    /// prefix to `exec` (it searches `PATH` itself); without one, the program is resolved here
    /// against the task's `PATH`.
    static func arguments(_ command: TaskCommand, prefix: [String], environment: [String: String]) -> [String] {
        let argv = command.arguments.isEmpty ? [command.program] : command.arguments
        if !prefix.isEmpty { return prefix + [command.program] + argv.dropFirst() }
        guard command.searchPath else { return [command.program] + argv.dropFirst() }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command.program)"
            if access(candidate, X_OK) == 0 { return [candidate] + argv.dropFirst() }
        }
        return [command.program] + argv.dropFirst()
    }

    private static func spawn(_ argv: [String], environment: [String: String], directory: String?) -> Result<pid_t, AgentError> {
        guard let program = argv.first, program.contains("/") else {
            return .failure(AgentError("probe command \(argv.first ?? "") not found in the task's PATH"))
        }
        do {
            let environment = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return .success(try ChildSpawn.start(program, arguments: argv, environment: environment,
                                                 directory: directory, newSession: true))
        } catch {
            return .failure(AgentError("could not start probe command \(program): \(error)"))
        }
    }
}
