import Foundation

/// Polls `condition` every 10 ms until it holds; throws after `timeout` seconds saying what it
/// waited for.
func waitFor(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = Stopwatch.nanoseconds() + UInt64(timeout * 1e9)
    while Stopwatch.nanoseconds() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw BenchError("timed out after \(Int(timeout)) s waiting until \(what)")
}
