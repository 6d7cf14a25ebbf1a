import AsyncHTTPClient

/// Short, human descriptions of network failures, for error messages a user can act on.
enum TransportErrors {
    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .remoteConnectionClosed: return "the connection was closed"
            case .cancelled: return "cancelled"
            default: break
            }
        }
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") { return "connection refused" }
        if lowered.contains("connection reset") { return "connection reset" }
        if lowered.contains("no such host") || lowered.contains("name or service not known") { return "unknown host" }
        if error is CancellationError { return "cancelled" }
        return text
    }
}
