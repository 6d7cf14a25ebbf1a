import FairwayHTTP
import Foundation
import NIOCore

/// Reads the cluster's state the way an operator tool does: the master's `/master/state`, an
/// agent's `/state`, and sandbox files through the agent's `/files/read`.
public struct ClusterInspector: Sendable {
    /// The master as `host:port`.
    public let master: String
    /// Deadline of each request, in seconds.
    public var timeout: Double = 10

    public init(master: String) {
        self.master = MasterAddress.normalize(master) ?? master
    }

    /// The master's state, parsed, together with the exact bytes it returned (for `--json`).
    public func masterState() async throws -> (snapshot: ClusterSnapshot, raw: [UInt8]) {
        let raw = try await get(master, "/master/state", what: "the master")
        do {
            return (try ClusterSnapshot.decode(raw), raw)
        } catch {
            throw InspectionError("the master at \(master) returned state that is not valid JSON: \(error)")
        }
    }

    /// Finds the sandbox directory of a task on its agent.
    public func sandbox(of task: ClusterSnapshot.Task, in snapshot: ClusterSnapshot) async throws -> TaskSandbox {
        guard let agent = snapshot.agent(id: task.agentID), let address = agent.address else {
            throw InspectionError("task '\(task.id)' ran on agent '\(task.agentID)', which the master no longer knows")
        }
        let raw = try await get(address, "/state", what: "agent \(agent.hostname)")
        let state: AgentSnapshot
        do {
            state = try AgentSnapshot.decode(raw)
        } catch {
            throw InspectionError("agent \(address) returned state that is not valid JSON: \(error)")
        }
        guard let directory = state.sandboxDirectory(frameworkID: task.frameworkID, executorID: task.executorID, taskID: task.id) else {
            throw InspectionError("agent \(address) has no sandbox for task '\(task.id)' (it may have been garbage-collected)")
        }
        return TaskSandbox(agentAddress: address, directory: directory)
    }

    /// The size of a sandbox file in bytes.
    public func fileSize(_ path: String, on agentAddress: String) async throws -> Int {
        try await readChunk(path, on: agentAddress, offset: -1, length: nil).offset
    }

    /// Up to `length` bytes of a sandbox file from `offset`; fewer (or none) at its end.
    public func read(_ path: String, on agentAddress: String, offset: Int, length: Int) async throws -> [UInt8] {
        Array(try await readChunk(path, on: agentAddress, offset: offset, length: length).data.utf8)
    }

    private struct FileChunk: Decodable {
        var data: String
        var offset: Int
    }

    private func readChunk(_ path: String, on agentAddress: String, offset: Int, length: Int?) async throws -> FileChunk {
        var query = "path=\(Self.queryEncode(path))&offset=\(offset)"
        if let length { query += "&length=\(length)" }
        let raw = try await get(agentAddress, "/files/read?\(query)", what: "agent \(agentAddress)")
        do {
            return try JSONDecoder().decode(FileChunk.self, from: Data(raw))
        } catch {
            throw InspectionError("agent \(agentAddress) returned an unreadable answer for \(path): \(error)")
        }
    }

    /// GETs `path` from `address` and returns the body of a 200; anything else becomes an
    /// `InspectionError` that says what to do (`notFound` replaces the message for a 404).
    func get(_ address: String, _ path: String, what: String, notFound: String? = nil) async throws -> [UInt8] {
        let result: HTTPCallResult
        do {
            result = try await HTTPCalls.get("http://\(address)\(path)", timeout: .milliseconds(Int64(timeout * 1000)),
                                             client: SchedulerHTTP.inspectionClient)
        } catch {
            let reason = TransportErrors.describe(error)
            if address == master {
                throw InspectionError("cannot reach the master at \(master): \(reason) — is 'fairway dev' running? (set --master or $FAIRWAY_MASTER)")
            }
            throw InspectionError("cannot reach \(what) at \(address): \(reason)")
        }
        if result.status.code == 404, let notFound { throw InspectionError(notFound) }
        guard result.status.code == 200 else {
            let text = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let endpoint = path.split(separator: "?").first.map(String.init) ?? path
            throw InspectionError("\(what) at \(address) answered \(result.status.code) to \(endpoint)\(text.isEmpty ? "" : ": \(text)")")
        }
        return result.body
    }

    /// Percent-encodes a query value, keeping `/` readable.
    static func queryEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// Where a task's files are: the agent serving them and the sandbox directory.
public struct TaskSandbox: Sendable, Equatable {
    public var agentAddress: String
    public var directory: String

    public init(agentAddress: String, directory: String) {
        self.agentAddress = agentAddress
        self.directory = directory
    }

    public func path(_ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
