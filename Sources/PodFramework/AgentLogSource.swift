import Foundation
import FrameworkKit
import KubeAPI
import PodCore

/// `kubectl logs`: a container's log (standard output and error, which the agent writes to one file
/// for a pod's containers), read from its sandbox on the agent through
/// `/files/read` (found through the master's state, as `fairway logs` finds it), from the start or
/// its last lines, and followed while the client stays.
struct AgentLogSource: PodLogSource {
    let master: String
    static let chunkSize = 256 * 1024
    static let followInterval: Duration = .milliseconds(300)

    func streamLog(namespace: String, pod: JSON, container: String?, follow: Bool, tailLines: Int?, limitBytes: Int?,
                   write: @escaping @Sendable ([UInt8]) async -> Bool) async throws(KubeError) {
        let name = pod.string("metadata", "name") ?? ""
        let containers = (pod[path: "spec", "containers"]?.arrayValue ?? []).compactMap { $0.string("name") }
        let chosen: String
        if let container {
            guard containers.contains(container) else {
                throw KubeError.badRequest("container \(container) is not valid for pod \(name)")
            }
            chosen = container
        } else if containers.count == 1, let only = containers.first {
            chosen = only
        } else {
            throw KubeError.badRequest("a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
        }
        guard let uid = pod.string("metadata", "uid"), pod.string("spec", "nodeName") != nil else {
            throw KubeError.badRequest("container \"\(chosen)\" in pod \"\(name)\" is waiting to start: the pod is not scheduled yet")
        }
        let inspector = ClusterInspector(master: master)
        let taskID = PodTaskID.make(podUID: uid, container: chosen)
        let sandbox: TaskSandbox
        do {
            let (snapshot, _) = try await inspector.masterState()
            guard let task = snapshot.task(id: taskID) else {
                throw KubeError.badRequest("container \"\(chosen)\" in pod \"\(name)\" is waiting to start")
            }
            sandbox = try await inspector.sandbox(of: task, in: snapshot)
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError.internalError("cannot find the logs of \(name)/\(chosen): \(error)")
        }
        let path = sandbox.path("stdout")
        do {
            let size = try await inspector.fileSize(path, on: sandbox.agentAddress)
            var offset = try await LogTail.start(lastLines: tailLines, size: size) { start, end in
                try await inspector.read(path, on: sandbox.agentAddress, offset: start, length: end - start)
            }
            var budget = limitBytes ?? Int.max
            while budget > 0 {
                let bytes = try await inspector.read(path, on: sandbox.agentAddress, offset: offset, length: min(Self.chunkSize, budget))
                if bytes.isEmpty {
                    guard follow, !Task.isCancelled else { return }
                    try await Task.sleep(for: Self.followInterval)
                    continue
                }
                offset += bytes.count
                budget -= bytes.count
                guard await write(bytes) else { return }
            }
        } catch is CancellationError {
            return
        } catch {
            throw KubeError.internalError("cannot read the logs of \(name)/\(chosen) from agent \(sandbox.agentAddress): \(error)")
        }
    }
}
