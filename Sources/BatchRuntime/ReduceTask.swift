import Glibc

/// The code that runs inside a reduce task: gathers partition p of every map's output (from disk
/// or over the agents' file endpoint; with a map-outputs URL, polling for maps that finish after
/// the reduce started), merges them by key and streams the records into the
/// reducer, whose stdout goes to `DIR/_temporary/<attempt>/part-NNNNN`. On success the file is
/// committed with `link` to `DIR/part-NNNNN`, which fails if the name exists, so only one attempt's
/// output ever appears and it appears whole; on failure nothing appears in DIR.
public struct ReduceTask: Sendable {
    public let options: ReduceTaskOptions

    public init(options: ReduceTaskOptions) {
        self.options = options
    }

    public func run() async throws(BatchRuntimeError) -> ReduceOutcome {
        try options.validate()
        let options = self.options
        let downloads = options.environment.sandbox + "/" + MapReduceLayout.reduceInputDirectory
        let fetcher = MapOutputFetcher(partition: options.partition, localAgentID: options.environment.agentID,
                                       frameworkID: options.environment.frameworkID, downloadDirectory: downloads,
                                       parallelism: options.parallelFetches, attempts: options.fetchAttempts,
                                       stateTimeout: options.stateTimeout, downloadTimeout: options.downloadTimeout)
        let inputs: [FetchedMapOutput]
        do {
            if let url = options.mapOutputsURL, let totalMaps = options.totalMaps {
                let poller = MapOutputPoller(fetcher: fetcher, url: url, totalMaps: totalMaps, pollInterval: options.pollInterval,
                                             progressTimeout: options.progressTimeout, refetchDelay: options.refetchDelay)
                inputs = try await poller.gather(initial: options.maps)
            } else {
                inputs = try await fetcher.fetchAll(options.maps)
            }
        } catch {
            POSIXFiles.removeTree(downloads)
            throw error
        }
        do {
            let outcome = try await runOnThread {
                defer { POSIXFiles.removeTree(downloads) }
                return try ReduceTask(options: options).reduceBlocking(inputs)
            }
            try CountersFile.write(outcome.counters, sandbox: options.environment.sandbox)
            return outcome
        } catch {
            throw BatchRuntimeError.wrapping(error)
        }
    }

    func reduceBlocking(_ inputs: [FetchedMapOutput]) throws -> ReduceOutcome {
        var counters = ReduceCounters()
        for input in inputs {
            counters.shuffleBytes += input.bytes
            if input.remote { counters.remoteFetches += 1 } else { counters.localReads += 1 }
        }
        let committer = OutputCommitter(outputDirectory: options.outputDirectory, attemptID: options.attemptID,
                                        partition: options.partition)
        let fd = try committer.createTemporaryFile()
        var fdOpen = true
        defer { if fdOpen { close(fd) } }
        do {
            let paths = try Self.mergeDown(inputs.map(\.path), fanIn: options.mergeFanIn,
                                           directory: options.environment.sandbox + "/" + MapReduceLayout.reduceInputDirectory + "/merged")
            let sources = try paths.map { path throws -> any SortedRecordSource in
                try FileRecordSource(path: path, what: "map output")
            }
            let handoff = Handoff(try RecordMerger(sources: sources))
            let fed = try CommandRunner.run(
                role: "reducer", command: options.reducer, environment: options.commandEnvironment, stdout: .file(fd),
                feed: { writer -> (records: Int64, bytes: Int64) in
                    let merger = handoff.value
                    var records: Int64 = 0
                    while !writer.hasFailed, try merger.next({ line, _ in writer.writeLine(line) }) {
                        records += 1
                    }
                    return (records, writer.bytesWritten)
                })
            counters.inputRecords = fed.records
            counters.inputBytes = fed.bytes
            let output = try committer.finishTemporaryFile(fd)
            fdOpen = false
            counters.outputRecords = output.records
            counters.outputBytes = output.bytes
            let committed = try committer.commit()
            return ReduceOutcome(counters: counters, committed: committed, outputPath: committer.finalPath)
        } catch {
            committer.discard()
            throw error
        }
    }
}
