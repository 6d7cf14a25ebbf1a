import FairwayHTTP
import Foundation

/// A real Fairway cluster made of processes — the `fairway` binary started as a master and agents on
/// loopback with free ports and a temporary work dir — for integration tests and benchmarks.
/// `shutdown()` kills every process it started, including tasks left in its sandboxes.
public final class ProcessCluster: @unchecked Sendable {
    public let root: URL
    public let binary: String
    public private(set) var masterPort: Int
    private var masterProcess: Process?
    private var agentProcesses: [Int: Process] = [:]
    private var batchProcess: Process?
    /// The batch framework's job API port, once `startBatch` chose one (kept across restarts).
    public private(set) var batchPort: Int?
    var podsProcess: Process?
    /// The pods framework's Kubernetes API port, once `startPods` chose one (kept across restarts).
    public internal(set) var podsPort: Int?
    private let masterArguments: [String]
    private let logLevel: String

    public var master: String { "127.0.0.1:\(masterPort)" }

    /// `binary` defaults to `$FAIRWAY_BIN`, else a `fairway` next to (or a few levels above) the
    /// running executable, which is where SwiftPM puts products beside test bundles.
    public init(binary: String? = nil, masterArguments: [String] = [], logLevel: String = "debug") throws {
        guard let found = binary ?? Self.findBinary() else {
            throw ClusterError("the fairway binary was not found next to this executable; run `swift build` first or set FAIRWAY_BIN")
        }
        self.binary = found
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fairway-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        masterPort = try FreePort.pick()
        self.masterArguments = masterArguments
        self.logLevel = logLevel
    }

    public static func findBinary() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["FAIRWAY_BIN"] { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("fairway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    public func startMaster() async throws {
        masterProcess = try launch(["master", "--ip", "127.0.0.1", "--port", String(masterPort),
                                    "--work-dir", root.appendingPathComponent("master").path,
                                    "--log-level", logLevel] + masterArguments, log: "master")
        try await waitUntil("the master answers /health", timeout: 30) { [master] in
            (try? await HTTPCalls.get("http://\(master)/health", timeout: .seconds(2)))?.status == .ok
        }
    }

    /// Starts an agent and waits until the master lists it as active. Returns the agent's port.
    @discardableResult
    public func startAgent(index: Int, resources: String = "cpus:2;mem:2048;disk:10000;ports:[31000-32000]",
                           extra: [String] = []) async throws -> Int {
        let port = try FreePort.pick()
        agentProcesses[index] = try launch(["agent", "--master", master, "--ip", "127.0.0.1", "--port", String(port),
                                            "--work-dir", root.appendingPathComponent("agent\(index)").path,
                                            "--resources", resources, "--log-level", logLevel] + extra, log: "agent\(index)")
        try await waitUntil("agent \(index) registers", timeout: 30) {
            let slaves = (try? await self.masterState())?["slaves"] as? [[String: Any]] ?? []
            return slaves.contains { ($0["port"] as? Int) == port && ($0["active"] as? Bool) == true }
        }
        return port
    }

    /// Starts (or restarts, with the same work dir and port) the batch framework and waits until
    /// its job API answers. Returns its address.
    @discardableResult
    public func startBatch(extra: [String] = []) async throws -> String {
        let port = try batchPort ?? FreePort.pick()
        batchPort = port
        batchProcess = try launch(["batch", "--master", master, "--ip", "127.0.0.1", "--port", String(port),
                                   "--work-dir", root.appendingPathComponent("batch").path,
                                   "--log-level", logLevel] + extra, log: "batch")
        let address = "127.0.0.1:\(port)"
        try await waitUntil("the batch framework answers /health", timeout: 30) {
            (try? await HTTPCalls.get("http://\(address)/health", timeout: .seconds(2)))?.status == .ok
        }
        return address
    }

    public func killBatch(signal: Int32 = SIGKILL) {
        guard let process = batchProcess else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        batchProcess = nil
    }

    public func killMaster(signal: Int32 = SIGKILL) {
        guard let process = masterProcess else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        masterProcess = nil
    }

    public func stopAgent(index: Int, signal: Int32 = SIGTERM) {
        guard let process = agentProcesses.removeValue(forKey: index) else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    public func shutdown() {
        for process in agentProcesses.values {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        agentProcesses = [:]
        killBatch()
        killPods()
        killMaster()
        // Tasks left in the sandboxes (their own sessions: killing an agent does not reach them).
        ProcessSweep.kill { $0.workingDirectory.hasPrefix(root.path) }
        removePodNamespaces()
        if ProcessInfo.processInfo.environment["FAIRWAY_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Runs the `fairway` binary (a CLI command) to completion: its exit status and output.
    public func runFairway(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    public func masterState() async throws -> [String: Any] {
        let result = try await HTTPCalls.get("http://\(master)/master/state", timeout: .seconds(5))
        guard result.status == .ok, let object = try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any] else {
            throw ClusterError("GET /master/state answered \(result.status): \(result.text)")
        }
        return object
    }

    public func log(_ name: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    func launch(_ arguments: [String], log name: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let logURL = root.appendingPathComponent("\(name).log")
        if !FileManager.default.fileExists(atPath: logURL.path) { FileManager.default.createFile(atPath: logURL.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: logURL)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}

public struct ClusterError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` seconds pass, then throws naming what it waited for.
public func waitUntil(_ what: String, timeout: Double = 15, interval: Double = 0.05,
                      _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .seconds(interval))
    }
    throw ClusterError("timed out after \(timeout) s waiting until \(what)")
}

public enum FreePort {
    /// Asks the kernel for a free loopback port.
    public static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ClusterError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
