import Glibc

/// How a child process ended, decoded from a `waitpid` status word.
struct ChildExitStatus: Sendable, Equatable, CustomStringConvertible {
    let raw: Int32

    /// The exit code when the child exited normally.
    var exitCode: Int32? {
        raw & 0x7f == 0 ? (raw >> 8) & 0xff : nil
    }

    /// The signal that killed the child.
    var signal: Int32? {
        let signal = raw & 0x7f
        return signal != 0 && signal != 0x7f && raw != -1 ? signal : nil
    }

    var succeeded: Bool { exitCode == 0 }

    /// "exited with status 127" or "was killed by signal 9 (Killed)".
    var description: String {
        if let exitCode { return "exited with status \(exitCode)" }
        if let signal {
            let name = strsignal(signal).map { String(cString: $0) } ?? "unknown signal"
            return "was killed by signal \(signal) (\(name))"
        }
        return "ended in an unknown way (wait status \(raw))"
    }
}
