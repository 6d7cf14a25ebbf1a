import FairwayHTTP

/// Fetches each agent's `/state` once per reduce task, however many maps ran there and however
/// many fetches ask at the same time (they share the one request in flight).
actor AgentStateCache {
    private var documents: [String: Task<AgentStateDocument, any Error>] = [:]
    private let attempts: Int
    private let timeout: Double

    init(attempts: Int, timeout: Double) {
        self.attempts = max(1, attempts)
        self.timeout = timeout
    }

    func document(agentURL: String) async throws -> AgentStateDocument {
        if let pending = documents[agentURL] { return try await pending.value }
        let attempts = self.attempts
        let timeout = self.timeout
        let pending = Task { try await Self.fetch(agentURL: agentURL, attempts: attempts, timeout: timeout) }
        documents[agentURL] = pending
        return try await pending.value
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
