/// Where the last lines of a growing file begin, reading backwards in chunks: `tail -n` over a
/// file served by an agent's `/files/read`.
public enum LogTail {
    /// The offset where the last `lines` lines of a file of `size` bytes begin (0 when it has
    /// fewer; `size` when `lines` is 0; the whole file when nil). A final newline ends the last
    /// line rather than starting another. `read(start, end)` returns the bytes in that range.
    public static func start(lastLines lines: Int?, size: Int,
                             read: (Int, Int) async throws -> [UInt8]) async throws -> Int {
        guard let lines else { return 0 }
        guard lines > 0 else { return size }
        var end = size
        var seen = 0
        while end > 0 {
            let start = max(0, end - 64 * 1024)
            let bytes = try await read(start, end)
            for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "\n") {
                let position = start + index
                if position == size - 1 { continue }
                seen += 1
                if seen == lines { return position + 1 }
            }
            end = start
        }
        return 0
    }
}
