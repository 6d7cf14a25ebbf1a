import FairwayHTTP

/// Fetches each agent's `/state` once per reduce task, however many maps ran there and however
/// many fetches ask at the same time (they share the one request in flight). A reduce that polls
/// for maps finishing later asks again (`refresh`) when a cached document does not know a map
/// task yet; a failed request is not kept, so the next ask tries the agent again.
actor AgentStateCache {
    private struct Entry {
        var generation: Int
        var task: Task<AgentStateDocument, any Error>
    }

    private var documents: [String: Entry] = [:]
    private var nextGeneration = 0
    private let attempts: Int
    private let timeout: Double

    init(attempts: Int, timeout: Double) {
        self.attempts = max(1, attempts)
        self.timeout = timeout
    }

    /// The agent's document, fetched again unless someone already did since `generation`.
    func refreshed(agentURL: String, after generation: Int) async throws -> AgentStateDocument {
        try await entry(agentURL: agentURL, replacing: generation).document
    }

    /// The document and its generation (for `refreshed(agentURL:after:)`).
    func documentAndGeneration(agentURL: String) async throws -> (document: AgentStateDocument, generation: Int) {
        try await entry(agentURL: agentURL, replacing: nil)
    }

    private func entry(agentURL: String, replacing stale: Int?) async throws -> (document: AgentStateDocument, generation: Int) {
        let entry: Entry
        if let cached = documents[agentURL], cached.generation != stale {
            entry = cached
        } else {
            let attempts = self.attempts
            let timeout = self.timeout
            entry = Entry(generation: nextGeneration,
                          task: Task { try await Self.fetch(agentURL: agentURL, attempts: attempts, timeout: timeout) })
            nextGeneration += 1
            documents[agentURL] = entry
        }
        do {
            return (try await entry.task.value, entry.generation)
        } catch {
            if documents[agentURL]?.generation == entry.generation { documents[agentURL] = nil }
            throw error
        }
    }

    private static func fetch(agentURL: String, attempts: Int, timeout: Double) async throws -> AgentStateDocument {
        let result = try await HTTPRetry.get(agentURL + "/state", attempts: attempts, timeout: timeout)
        guard result.status == .ok else {
            throw BatchRuntimeError("GET /state answered \(result.status.code) \(result.status.reasonPhrase): \(result.text)", kind: .fetch)
        }
        do {
            return try AgentStateDocument.decode(result.body)
        } catch {
            throw BatchRuntimeError("the agent's /state is not the JSON document expected: \(error)", kind: .fetch)
        }
    }
}
