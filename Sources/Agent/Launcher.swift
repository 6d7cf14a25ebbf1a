import Glibc
import Spawning

/// The agent's side of starting a task: one `posix_spawn` of the launcher mode (`fairway launch`,
/// found through `/proc/self/exe`) with the task's environment, stdin from `/dev/null`, stdout and
/// stderr appended to the sandbox's files, default signal handling, and a new session so the whole
/// process group can be killed. `posix_spawn` does not `fork` the multithreaded agent: glibc uses
/// `clone(CLONE_VM|CLONE_VFORK)` and reports errors of the child's set-up to the caller.
struct Launcher: Sendable {
    /// The executable that provides the launcher mode.
    var executable: String
    /// Arguments before the launcher's own (the subcommand name, `["launch"]`).
    var prefix: [String]
    var method: LaunchMethod = .launcherMode

    /// Starts the launcher for a task and returns its pid (which is also the task's pid and its
    /// process group id once it has `exec`ed).
    func spawn(_ arguments: LauncherArguments, environment: [String: String], stderrFile: String = "stderr") throws(AgentError) -> pid_t {
        let path = method == .shell ? "/bin/sh" : executable
        let argv = method == .shell ? Self.shellArguments(arguments) : [executable] + prefix + arguments.rendered
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }

        do {
            return try ChildSpawn.start(path, arguments: argv, environment: envp, stdin: .devNull,
                                        stdout: .appending(arguments.sandbox + "/stdout"),
                                        stderr: .appending(arguments.sandbox + "/" + stderrFile), newSession: true)
        } catch {
            throw AgentError("could not start the task launcher \(path): \(error)")
        }
    }

    /// The `/bin/sh` launcher: `sh -c SCRIPT fairway-launch SANDBOX N CGROUP_PROCS... PROGRAM ARGV...`.
    static let shellScript = """
        d=$1; n=$2; shift 2
        while [ "$n" -gt 0 ]; do
          echo $$ > "$1" 2>/dev/null || { echo "could not join the task's cgroup through $1" > "$d/\(LauncherArguments.errorFileName)"; exit 127; }
          shift; n=$((n - 1))
        done
        cd "$d" 2>/dev/null || { echo "could not enter the sandbox $d" >&2; exit 127; }
        p=$1; shift 2
        case $p in
          */*) [ -f "$p" ] && [ -x "$p" ] ;;
          *) command -v "$p" >/dev/null 2>&1 ;;
        esac || { echo "could not execute $p: not found or not executable" > \(LauncherArguments.errorFileName); exit 127; }
        exec "$p" "$@"
        """

    static func shellArguments(_ arguments: LauncherArguments) -> [String] {
        let argv = arguments.command.arguments.isEmpty ? [arguments.command.program] : arguments.command.arguments
        return ["sh", "-c", shellScript, "fairway-launch", arguments.sandbox, String(arguments.cgroupProcsFiles.count)]
            + arguments.cgroupProcsFiles + [arguments.command.program] + argv
    }

    /// The running executable, the default provider of the launcher mode.
    static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "/proc/self/exe" }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
