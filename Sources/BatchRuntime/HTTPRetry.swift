import FairwayHTTP
import NIOCore

/// GET with a few retries for errors that may pass (connection refused or reset while an agent
/// restarts, 5xx answers); a 4xx answer is final and returned as is.
enum HTTPRetry {
    static func get(_ url: String, attempts: Int, timeout: Double) async throws -> HTTPCallResult {
        var delay: UInt64 = 200_000_000
        var attempt = 1
        while true {
            do {
                let result = try await HTTPCalls.get(url, timeout: .nanoseconds(Int64(timeout * 1e9)))
                if result.status.code >= 500 && attempt < attempts {
                    attempt += 1
                } else {
                    return result
                }
            } catch {
                guard attempt < attempts else { throw error }
                attempt += 1
            }
            // Back off before the next attempt (a pause between retries, not synchronisation).
            try await Task.sleep(nanoseconds: delay)
            delay *= 2
        }
    }
}
