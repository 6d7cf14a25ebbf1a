/// A plain-text table with aligned columns, for command-line output people read.
///
/// ```
/// ID      NAME  STATE
/// task-1  echo  TASK_RUNNING
/// ```
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]
    /// Column indexes whose cells are right-aligned (numbers).
    public var rightAligned: Set<Int>

    public init(headers: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by newlines, columns separated by two spaces, no trailing spaces.
    /// Missing cells render empty; extra cells are dropped. With no headers, there is no header
    /// line and the widest row sets the number of columns (a key/value listing).
    public func render() -> String {
        let columns = headers.isEmpty ? rows.map(\.count).max() ?? 0 : headers.count
        let cells = ((headers.isEmpty ? [] : [headers]) + rows).map { row in
            (0..<columns).map { index in index < row.count ? Self.singleLine(row[index]) : "" }
        }
        var widths = Array(repeating: 0, count: columns)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return cells.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? padding + cell : cell + padding
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
