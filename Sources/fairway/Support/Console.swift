import Foundation

/// Unbuffered output for lines other processes wait for (a "listening on" line read from a pipe
/// or log file must not sit in a stdio buffer).
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
