/// A pod as the life-cycle core needs it: what to place (`request`) and the names of its
/// containers, in order. Built by the shell from the API object.
public struct PodDefinition: Hashable, Sendable {
    public var request: PodRequest
    public var containers: [String]
    /// Containers with a readiness probe: ready only once the agent's check says so. The others
    /// are ready while they run.
    public var probedContainers: Set<String>

    public init(request: PodRequest, containers: [String], probedContainers: Set<String> = []) {
        self.request = request
        self.containers = containers
        self.probedContainers = probedContainers
    }

    public var uid: String { request.uid }

    /// The pod's task ids, one per container.
    public var taskIDs: [String] { containers.map { PodTaskID.make(podUID: uid, container: $0) } }
}

/// A container's Mesos task id: `<pod uid>.<container name>`. Pod uids are UUIDs (no dots), so
/// the first dot separates the two.
public enum PodTaskID {
    public static func make(podUID: String, container: String) -> String { podUID + "." + container }

    public static func parse(_ taskID: String) -> (podUID: String, container: String)? {
        guard let dot = taskID.firstIndex(of: ".") else { return nil }
        let uid = String(taskID[..<dot]), container = String(taskID[taskID.index(after: dot)...])
        guard !uid.isEmpty, !container.isEmpty else { return nil }
        return (uid, container)
    }
}
