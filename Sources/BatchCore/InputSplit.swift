/// One input file as the shell found it: it expands globs and stats files; the core never touches disk.
public struct InputFile: Sendable, Codable, Equatable {
    public var path: String
    /// Size in bytes.
    public var size: Int
    /// Hostnames holding the file's data; empty = equally readable everywhere (no locality preference).
    public var hosts: [String]

    public init(path: String, size: Int, hosts: [String] = []) {
        self.path = path
        self.size = size
        self.hosts = hosts
    }
}

/// A byte range of one input file, the input of one map task.
///
/// Splits are plain byte ranges; the map runner turns them into whole lines with Hadoop's rule:
/// a split owns every line whose first byte lies in `[offset, offset + length)`. So a split that does
/// not start at byte 0 begins reading at `offset - 1` and skips through the first `\n` (which skips the
/// partial line the previous split owns, and nothing when `offset` is exactly a line start), and it
/// keeps reading past `offset + length` to finish the last line it started. Every line of a file is then
/// read by exactly one split, whatever the split size.
public struct InputSplit: Sendable, Codable, Equatable, Hashable, CustomStringConvertible {
    public var path: String
    public var offset: Int
    public var length: Int
    /// Hostnames holding this range (copied from the file); maps prefer offers from them.
    public var hosts: [String]

    public init(path: String, offset: Int, length: Int, hosts: [String] = []) {
        self.path = path
        self.offset = offset
        self.length = length
        self.hosts = hosts
    }

    public var description: String { "\(path) [\(offset), \(offset + length))" }
}
