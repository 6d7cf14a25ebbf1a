import Glibc
import Logging
import Spawning

/// The code that runs inside a map task: feeds the split's lines to the mapper, partitions its
/// `key<TAB>value` output with `StablePartitioner`, sorts each partition by key (optionally through
/// the combiner) and writes `map-output/part-NNNNN` files and then `_DONE` into the sandbox, where
/// reduce tasks read or download them. Each part file appears whole (written under a temporary
/// name, then renamed). Counters go to `counters.json`.
public struct MapTask: Sendable {
    public let options: MapTaskOptions

    public init(options: MapTaskOptions) {
        self.options = options
    }

    /// Runs the task to completion; throws with a message for the task's failure status. The work
    /// happens on dedicated threads, never blocking Swift's cooperative pool.
    public func run() async throws(BatchRuntimeError) -> MapCounters {
        try options.validate()
        let options = self.options
        do {
            return try await runOnThread { try MapTask(options: options).runBlocking() }
        } catch {
            throw BatchRuntimeError.wrapping(error)
        }
    }

    var outputDirectory: String { options.environment.sandbox + "/" + MapReduceLayout.mapOutputDirectory }

    func runBlocking() throws -> MapCounters {
        let outputDirectory = self.outputDirectory
        try POSIXFiles.makeDirectories(outputDirectory)
        unlink(outputDirectory + "/" + MapReduceLayout.doneMarker)
        let splitReader = try SplitLineReader(split: options.split)
        let partitioner = StablePartitioner(partitions: options.partitions)
        let collector = SortingCollector(partitions: options.partitions, spillDirectory: outputDirectory + "/_spill",
                                         spillThreshold: options.spillThreshold)
        defer { POSIXFiles.removeTree(outputDirectory + "/_spill") }

        var counters = MapCounters()
        let handoff = Handoff(splitReader)
        let fed = try CommandRunner.run(
            role: "mapper", command: options.mapper, environment: options.commandEnvironment, stdout: .pipe,
            feed: { writer -> (records: Int64, bytes: Int64) in
                let reader = handoff.value
                var records: Int64 = 0
                while !writer.hasFailed, try reader.next({ line, _ in writer.writeLine(line) }) != nil {
                    records += 1
                }
                return (records, reader.bytesRead)
            },
            consume: { reader in
                while try reader.next({ (line, _) throws -> Void in
                    let keyLength = StreamingRecord.keyLength(of: line)
                    let partition = partitioner.partition(ofKey: UnsafeRawBufferPointer(rebasing: line[0..<keyLength]))
                    try collector.add(line, keyLength: keyLength, partition: partition)
                    counters.outputBytes += Int64(line.count + 1)
                }) != nil {
                    counters.outputRecords += 1
                }
            })
        counters.inputRecords = fed.records
        counters.inputBytes = fed.bytes
        counters.spilledRuns = Int64(collector.spillCount)
        collector.finish()

        for partition in 0..<options.partitions {
            if let combiner = options.combiner {
                let combined = try combine(partition: partition, of: collector, with: combiner)
                counters.combineInputRecords += combined.input
                counters.combineOutputRecords += combined.output
                counters.spilledRuns += combined.spills
            } else {
                let path = outputDirectory + "/" + MapReduceLayout.partitionFileName(partition)
                _ = try Self.writeSorted(try collector.merger(for: partition), to: path)
            }
        }
        collector.removeSpills()
        try POSIXFiles.writeFileAtomically(outputDirectory + "/" + MapReduceLayout.doneMarker, [], what: "map output marker")
        try CountersFile.write(counters, sandbox: options.environment.sandbox)
        return counters
    }

    /// Writes a sorted stream of records to `path` through a temporary name; returns the record count.
    static func writeSorted(_ merger: RecordMerger, to path: String) throws -> Int64 {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let temporary = String(path[..<slash]) + "." + String(path[slash...]) + ".tmp"
        let fd = try POSIXFiles.createForWriting(temporary, what: "map output file")
        let writer = BufferedWriter(fd: fd)
        var records: Int64 = 0
        do {
            while try merger.next({ line, _ in writer.writeLine(line) }) {
                records += 1
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        let code = writer.flush()
        close(fd)
        guard code == 0 else {
            unlink(temporary)
            throw BatchRuntimeError("cannot write map output file \(temporary): \(LinuxCalls.errorText(code)); is the sandbox's disk full?")
        }
        try POSIXFiles.rename(temporary, to: path, what: "map output file")
        return records
    }
}
