import Foundation
import FrameworkKit

/// Printing for the inspection commands: tables for people, JSON for scripts.
enum InspectOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func write(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Prints a table, or `empty` (a sentence saying there is nothing) when it has no rows.
    static func table(_ table: TextTable, empty: String) {
        write(table.rows.isEmpty ? empty : table.render())
    }

    /// Prints JSON values taken from the master's answer, pretty-printed with sorted keys.
    static func json(_ value: Any) throws {
        if let array = value as? [Any], array.isEmpty { return write("[]") }
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        write(String(decoding: data, as: UTF8.self))
    }
}
