import Glibc
import Spawning

/// Collects records with their partition and hands back each partition sorted by key.
///
/// Records are buffered in memory; when the buffer uses `spillThreshold` bytes (record bytes plus
/// 32 bytes of bookkeeping per record) it is sorted and written to a spill file in
/// `spillDirectory` (partitions one after another, offsets remembered), so a map's output need
/// not fit in memory. `merger(for:)` merges the spills and what is still in
/// memory, oldest first, which keeps equal keys in arrival order.
final class SortingCollector {
    private struct Spill {
        var path: String
        /// Byte range of each partition within the file.
        var segments: [(offset: Int64, length: Int64)]
    }

    let partitions: Int
    let spillDirectory: String
    let spillThreshold: Int
    private var buffer: RecordBuffer
    private var spills: [Spill] = []
    private var finished = false

    init(partitions: Int, spillDirectory: String, spillThreshold: Int) {
        self.partitions = partitions
        self.spillDirectory = spillDirectory
        self.spillThreshold = max(1, spillThreshold)
        self.buffer = RecordBuffer(partitions: partitions)
    }

    var spillCount: Int { spills.count }

    func add(_ line: UnsafeRawBufferPointer, keyLength: Int, partition: Int) throws {
        try buffer.append(line, keyLength: keyLength, partition: partition)
        if buffer.memoryUsed >= spillThreshold { try spill() }
    }

    /// Sorts what is in memory; call once, after the last `add`.
    func finish() {
        buffer.sort()
        finished = true
    }

    /// All records of `partition` in order. Call after `finish`.
    func merger(for partition: Int) throws -> RecordMerger {
        precondition(finished, "SortingCollector.finish must come before reading partitions")
        var sources: [any SortedRecordSource] = []
        for spill in spills {
            let segment = spill.segments[partition]
            guard segment.length > 0 else { continue }
            let fd = try POSIXFiles.openForReading(spill.path, what: "spill file")
            sources.append(FileRecordSource(reader: LineReader(fd: fd, name: "spill file \(spill.path)", offset: segment.offset,
                                                               limit: segment.length, ownsDescriptor: true)))
        }
        sources.append(MemoryRecordSource(buffer: buffer, partition: partition))
        return try RecordMerger(sources: sources)
    }

    /// Removes the spill files.
    func removeSpills() {
        for spill in spills { unlink(spill.path) }
        spills = []
    }

    private func spill() throws {
        buffer.sort()
        if spills.isEmpty { try POSIXFiles.makeDirectories(spillDirectory) }
        let path = spillDirectory + "/spill-\(spills.count)"
        let fd = try POSIXFiles.createForWriting(path, what: "spill file")
        defer { close(fd) }
        let writer = BufferedWriter(fd: fd)
        var segments: [(offset: Int64, length: Int64)] = []
        for partition in 0..<partitions {
            let start = writer.bytesWritten
            for index in buffer.partitionRanges[partition] {
                writer.writeLine(buffer.record(at: index).line)
            }
            segments.append((start, writer.bytesWritten - start))
        }
        let code = writer.flush()
        guard code == 0 else {
            throw BatchRuntimeError("cannot write spill file \(path): \(LinuxCalls.errorText(code)); is the sandbox's disk full?")
        }
        spills.append(Spill(path: path, segments: segments))
        buffer.removeAll()
    }
}
