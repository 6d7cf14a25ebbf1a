import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redrawing a view in place on a terminal (`--watch`): cursor home, each line cleared to its end,
/// the rest of the screen cleared; lines cut to the window so nothing scrolls. When standard
/// output is not a terminal, callers print plain frames instead.
enum TerminalScreen {
    static let escape = "\u{1B}["

    /// True when standard output is a terminal.
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The window's rows and columns, when the terminal says.
    static var size: (rows: Int, columns: Int)? {
        var window = winsize()
        let result = withUnsafeMutablePointer(to: &window) { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }
        guard result == 0, window.ws_row > 0, window.ws_col > 0 else { return nil }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    /// Clears the screen before the first frame.
    static let clear = escape + "2J" + escape + "H"

    /// The bytes that replace the screen's content with `text`.
    static func frame(_ text: String, size: (rows: Int, columns: Int)?) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        if let size {
            if lines.count > size.rows - 1 {
                let hidden = lines.count - (size.rows - 2)
                lines = Array(lines.prefix(max(0, size.rows - 2))) + ["… \(hidden) more lines: enlarge the window"]
            }
            lines = lines.map { $0.count > size.columns ? String($0.prefix(size.columns)) : $0 }
        }
        return escape + "H" + lines.map { $0 + escape + "K" }.joined(separator: "\n") + "\n" + escape + "J"
    }
}
