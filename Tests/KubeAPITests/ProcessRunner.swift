import Foundation

/// Runs command-line clients (kubectl, python3) without blocking Swift concurrency threads: the
/// in-process API server they talk to needs those threads. Output goes to files, read at the end.
struct ProcessResult {
    var status: Int32
    var output: String
    var errors: String
    var combined: String { output + errors }
}

final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let outputPath: String
    let errorPath: String
    private let finished = NSCondition()
    private var exited = false

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: TemporaryDirectory) throws {
        let id = UUID().uuidString.prefix(8)
        outputPath = directory.file("out-\(id).txt")
        errorPath = directory.file("err-\(id).txt")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [weak self] _ in
            guard let self else { return }
            self.finished.lock()
            self.exited = true
            self.finished.broadcast()
            self.finished.unlock()
        }
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    var hasExited: Bool {
        finished.lock()
        defer { finished.unlock() }
        return exited
    }

    /// Waits (polling, off the cooperative pool's critical path) until the process exits or the
    /// deadline passes; then kills it if it still runs.
    func wait(timeout: Double) async -> ProcessResult {
        let deadline = Date().addingTimeInterval(timeout)
        while !hasExited && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if !hasExited { kill() }
        while !hasExited { try? await Task.sleep(for: .milliseconds(10)) }
        return ProcessResult(status: process.terminationStatus, output: output, errors: errors)
    }

    /// Polls the output until it contains `text`.
    func waitForOutput(containing text: String, timeout: Double = 20) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if hasExited { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func kill() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// Runs a program to completion (killed after `timeout` seconds).
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: TemporaryDirectory,
         timeout: Double = 60) async throws -> ProcessResult {
    let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
    return await child.wait(timeout: timeout)
}

/// The first executable named `name` on PATH.
func findOnPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
