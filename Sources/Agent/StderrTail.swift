import Foundation
import Glibc

/// The last non-empty line a task wrote to its stderr, to quote in a failure's message: "Command
/// exited with status 127: sh: 1: frob: not found" says what went wrong where "status 127" alone
/// sends the user to the sandbox.
enum StderrTail {
    /// Bytes read from the end of the file; a longer last line is cut at its start.
    static let window = 4096
    /// Longest quote kept in a status message.
    static let maximumLength = 300

    static func lastLine(ofFile path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return nil }
        let start = max(0, size - off_t(window))
        var bytes = [UInt8](repeating: 0, count: Int(size - start))
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > maximumLength ? "…" + trimmed.suffix(maximumLength) : trimmed
    }
}
