import Foundation
import FrameworkKit

/// Reads a sandbox file through the agent's `/files/read`: all of it, its last lines, or
/// following it as it grows.
struct TaskLogReader {
    let inspector: ClusterInspector
    let agent: String
    let path: String

    static let chunkSize = 1 << 20

    func size() async throws -> Int {
        try await inspector.fileSize(path, on: agent)
    }

    /// Writes the file from `offset` up to its current end to standard output; returns the new offset.
    func copy(from offset: Int) async throws -> Int {
        var offset = offset
        while true {
            let bytes = try await inspector.read(path, on: agent, offset: offset, length: Self.chunkSize)
            if bytes.isEmpty { return offset }
            InspectOutput.write(bytes: bytes)
            offset += bytes.count
        }
    }

    /// The offset where the last `lines` lines of a file of `size` bytes begin. A final newline
    /// ends the last line rather than starting another.
    func startOfLastLines(_ lines: Int, size: Int) async throws -> Int {
        guard lines > 0 else { return size }
        var end = size
        var seen = 0
        while end > 0 {
            let start = max(0, end - 64 * 1024)
            let bytes = try await inspector.read(path, on: agent, offset: start, length: end - start)
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
