extension MapTask {
    /// Runs the combiner over one partition's sorted records and writes its output, sorted again,
    /// as that partition's file. Like Hadoop, the combiner's records stay in the partition even if
    /// it changes keys. Returns records in and out and the spills of the re-sort.
    func combine(partition: Int, of collector: SortingCollector, with combiner: String) throws
        -> (input: Int64, output: Int64, spills: Int64) {
        let directory = outputDirectory
        let path = directory + "/" + MapReduceLayout.partitionFileName(partition)
        let handoff = Handoff(try collector.merger(for: partition))
        let combined = SortingCollector(partitions: 1, spillDirectory: directory + "/_spill/combine-\(partition)",
                                        spillThreshold: options.spillThreshold)
        defer { combined.removeSpills() }
        var output: Int64 = 0
        var environment = options.commandEnvironment
        environment["mapreduce_task_partition"] = String(partition)
        let input = try CommandRunner.run(
            role: "combiner", command: combiner, environment: environment, stdout: .pipe,
            feed: { writer -> Int64 in
                let merger = handoff.value
                var records: Int64 = 0
                while !writer.hasFailed, try merger.next({ line, _ in writer.writeLine(line) }) {
                    records += 1
                }
                return records
            },
            consume: { reader in
                while try reader.next({ (line, _) throws -> Void in
                    try combined.add(line, keyLength: StreamingRecord.keyLength(of: line), partition: 0)
                }) != nil {
                    output += 1
                }
            })
        combined.finish()
        _ = try Self.writeSorted(try combined.merger(for: 0), to: path)
        return (input, output, Int64(combined.spillCount))
    }
}
