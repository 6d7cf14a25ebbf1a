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

    /// The offset where the last `lines` lines of a file of `size` bytes begin.
    func startOfLastLines(_ lines: Int, size: Int) async throws -> Int {
        try await LogTail.start(lastLines: lines, size: size) { start, end in
            try await inspector.read(path, on: agent, offset: start, length: end - start)
        }
    }
}
