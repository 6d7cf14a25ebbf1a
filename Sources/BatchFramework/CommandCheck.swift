import Foundation
import Glibc

/// Catches a mapper, reducer or combiner that cannot run before any task is launched: the first
/// word of the command must be a shell builtin or keyword, or an executable file (a path, or a
/// name found on PATH). The agents share this machine's file system in the dev cluster, so what
/// is missing here is missing there.
enum CommandCheck {
    /// A sentence naming the problem, or nil when the command looks runnable.
    static func problem(with command: String, role: String) -> String? {
        guard let word = firstWord(of: command) else { return nil }
        if shellWords.contains(word) || word.contains("=") || word.hasPrefix("$") { return nil }
        if word.contains("/") {
            return access(word, X_OK) == 0 ? nil : "the \(role) \(word) does not exist or is not executable"
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(word)", X_OK) == 0 { return nil }
        return "the \(role) command \(word) was not found on PATH (\(path))"
    }

    private static func firstWord(of command: String) -> String? {
        let trimmed = command.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let first = trimmed.split(whereSeparator: { " \t\n;|&<>()".contains($0) }).first else { return nil }
        let word = String(first)
        // Quoted words and expansions are the shell's business.
        return word.contains(where: { "'\"`".contains($0) }) ? nil : word
    }

    private static let shellWords: Set<String> = [
        "!", "{", "}", "[", "[[", ".", ":", "alias", "break", "case", "cd", "command", "continue", "echo", "eval",
        "exec", "exit", "export", "false", "for", "if", "local", "printf", "pwd", "read", "readonly", "return",
        "set", "shift", "test", "times", "trap", "true", "type", "ulimit", "umask", "unset", "until", "wait", "while",
    ]
}
