import FairwayHTTP
import Glibc
import Logging

/// One map's partition as the reduce will read it: a local file, either the map's own output on
/// this agent or a downloaded copy in the reduce's sandbox.
struct FetchedMapOutput: Sendable {
    var location: MapOutputLocation
    var path: String
    var bytes: Int64
    var remote: Bool
}

/// Gets partition p of every map's output: looks the map task's sandbox up in its agent's
/// `/state` (once per agent, again when a later map is not in it yet), reads the file from disk when the map ran on this agent, and
/// otherwise downloads it through the agent's `/files/download`, up to `parallelism` at a time.
/// Any failure names the map, its agent and the error, and is a `.fetch` error (exit status 2).
struct MapOutputFetcher: Sendable {
    var partition: Int
    var localAgentID: String?
    var frameworkID: String?
    /// Downloads go here (the reduce's sandbox `reduce-input/`).
    var downloadDirectory: String
    var parallelism: Int
    var attempts: Int
    var downloadTimeout: Double
    let states: AgentStateCache
    private let logger = Logger(label: "fairway.batch.runtime")

    init(partition: Int, localAgentID: String?, frameworkID: String?, downloadDirectory: String, parallelism: Int, attempts: Int,
         stateTimeout: Double, downloadTimeout: Double) {
        self.partition = partition
        self.localAgentID = localAgentID
        self.frameworkID = frameworkID
        self.downloadDirectory = downloadDirectory
        self.parallelism = max(1, parallelism)
        self.attempts = max(1, attempts)
        self.downloadTimeout = downloadTimeout
        self.states = AgentStateCache(attempts: attempts, timeout: stateTimeout)
    }

    /// All maps' outputs, in map index order.
    func fetchAll(_ maps: [MapOutputLocation]) async throws(BatchRuntimeError) -> [FetchedMapOutput] {
        let fetcher = self
        do {
            let fetched = try await withThrowingTaskGroup(of: FetchedMapOutput.self) { group in
                var pending = maps.makeIterator()
                for _ in 0..<parallelism {
                    guard let map = pending.next() else { break }
                    group.addTask { try await fetcher.fetch(map) }
                }
                var results: [FetchedMapOutput] = []
                while let result = try await group.next() {
                    results.append(result)
                    if let map = pending.next() {
                        group.addTask { try await fetcher.fetch(map) }
                    }
                }
                return results
            }
            return fetched.sorted { $0.location.mapIndex < $1.location.mapIndex }
        } catch {
            throw BatchRuntimeError.wrapping(error)
        }
    }

    func fetch(_ map: MapOutputLocation) async throws(BatchRuntimeError) -> FetchedMapOutput {
        let what = "partition \(partition) of map \(map.mapIndex) (task \(map.taskID)) from agent \(map.agentID) at \(map.agentURL)"
        let sandbox: String
        do {
            let cached = try await states.documentAndGeneration(agentURL: map.agentURL)
            var document = cached.document
            if document.sandbox(ofTask: map.taskID, frameworkID: frameworkID) == nil {
                // The cached document may predate the map (a polling reduce learns of maps as they finish).
                document = try await states.refreshed(agentURL: map.agentURL, after: cached.generation)
            }
            guard let found = document.sandbox(ofTask: map.taskID, frameworkID: frameworkID) else {
                throw BatchRuntimeError("the agent does not know the map task (its sandbox may have been garbage-collected; re-run the map)", kind: .fetch)
            }
            sandbox = found
        } catch {
            throw BatchRuntimeError("cannot fetch \(what): \(Self.reason(error))", kind: .fetch)
        }
        let path = MapReduceLayout.mapOutputPath(sandbox: sandbox, partition: partition)
        if let localAgentID, localAgentID == map.agentID, POSIXFiles.isReadableFile(path) {
            logger.debug("reading map output locally", metadata: ["map": "\(map.mapIndex)", "path": "\(path)"])
            return FetchedMapOutput(location: map, path: path, bytes: POSIXFiles.fileSize(path) ?? 0, remote: false)
        }
        let url = map.agentURL + "/files/download?path=" + Self.percentEncoded(path)
        let body: [UInt8]
        do {
            let result = try await HTTPRetry.get(url, attempts: attempts, timeout: downloadTimeout)
            guard result.status == .ok else {
                throw BatchRuntimeError("GET /files/download?path=\(path) answered \(result.status.code) \(result.status.reasonPhrase): \(result.text)", kind: .fetch)
            }
            body = result.body
        } catch {
            throw BatchRuntimeError("cannot fetch \(what): \(Self.reason(error))", kind: .fetch)
        }
        let destination = downloadDirectory + "/map-\(map.mapIndex)-" + MapReduceLayout.partitionFileName(partition)
        let directory = downloadDirectory
        do {
            try await runOnThread {
                try POSIXFiles.makeDirectories(directory)
                try POSIXFiles.writeFileAtomically(destination, body, what: "downloaded map output")
            }
        } catch {
            throw BatchRuntimeError.wrapping(error)
        }
        logger.debug("downloaded map output", metadata: ["map": "\(map.mapIndex)", "bytes": "\(body.count)"])
        return FetchedMapOutput(location: map, path: destination, bytes: Int64(body.count), remote: true)
    }

    private static func reason(_ error: any Error) -> String {
        (error as? BatchRuntimeError)?.message ?? "\(error)"
    }

    /// Percent-encodes everything but unreserved characters and `/` for a query value.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
