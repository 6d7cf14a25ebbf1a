import Glibc
import Spawning

/// Sandbox directories under `<work-dir>/sandboxes`: `<framework>/<task>` for a command task,
/// `<framework>/<executor>/<task>` for the members of a task group. Ids become single path
/// components (a `/` or a leading dot cannot climb out), and a directory that already exists (a
/// task id reused) gets a `.1`, `.2`, … suffix instead of being shared.
public struct Sandbox: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    /// Creates a command task's sandbox and returns its path.
    public func createForTask(frameworkID: String, taskID: String) throws(AgentError) -> String {
        let parent = root + "/" + Sandbox.component(frameworkID)
        try Sandbox.makeDirectories(parent)
        return try Sandbox.makeUnique(parent + "/" + Sandbox.component(taskID))
    }

    /// The directory of a task group's executor (reused when the executor gets more groups).
    public func executorDirectory(frameworkID: String, executorID: String) throws(AgentError) -> String {
        let path = root + "/" + Sandbox.component(frameworkID) + "/" + Sandbox.component(executorID)
        try Sandbox.makeDirectories(path)
        return path
    }

    /// Creates a task-group member's sandbox inside its executor's directory.
    public func createForGroupTask(executorDirectory: String, taskID: String) throws(AgentError) -> String {
        try Sandbox.makeUnique(executorDirectory + "/" + Sandbox.component(taskID))
    }

    /// An id as one safe path component.
    public static func component(_ id: String) -> String {
        var text = String(id.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        if text.isEmpty || text.hasPrefix(".") { text = "_" + text }
        return text
    }

    static func makeUnique(_ base: String) throws(AgentError) -> String {
        var candidate = base
        var suffix = 0
        while true {
            if mkdir(candidate, 0o755) == 0 { return candidate }
            guard errno == EEXIST else {
                throw AgentError("could not create the sandbox \(candidate): \(LinuxCalls.errorText(errno))")
            }
            suffix += 1
            candidate = "\(base).\(suffix)"
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(AgentError) {
        if mkdir(path, 0o755) == 0 { return }
        switch errno {
        case EEXIST:
            return
        case ENOENT:
            let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            guard !parent.isEmpty, parent != path else {
                throw AgentError("could not create the directory \(path): \(LinuxCalls.errorText(ENOENT))")
            }
            try makeDirectories(parent)
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw AgentError("could not create the directory \(path): \(LinuxCalls.errorText(errno))")
            }
        default:
            throw AgentError("could not create the directory \(path): \(LinuxCalls.errorText(errno))")
        }
    }
}
