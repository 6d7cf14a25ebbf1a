/// The replication controller's decision, pure: how many pods to create and which to delete so
/// that `replicas` active pods match, and the status to report.
public enum ReplicaPlanner {
    /// A pod the controller owns, as the decision needs it.
    public struct OwnedPod: Hashable, Sendable {
        public var name: String
        public var phase: PodPhase
        public var ready: Bool
        public var scheduled: Bool
        public var createdAt: Double

        public init(name: String, phase: PodPhase, ready: Bool, scheduled: Bool, createdAt: Double) {
            self.name = name
            self.phase = phase
            self.ready = ready
            self.scheduled = scheduled
            self.createdAt = createdAt
        }
    }

    public struct Decision: Hashable, Sendable {
        public var create: Int
        /// Pods to delete: the surplus, worst first, and every pod that ended (it is replaced).
        public var delete: [String]
        public var status: ReplicaStatus
    }

    public struct ReplicaStatus: Hashable, Sendable {
        public var replicas: Int
        public var readyReplicas: Int
        public var availableReplicas: Int
        public var fullyLabeledReplicas: Int
    }

    /// Active pods are those not Succeeded or Failed. Ended pods are deleted and replaced, as the
    /// Kubernetes controller does for pods lost with their node. Scaling down removes unscheduled
    /// before scheduled, pending before running, unready before ready, newest first.
    public static func decide(replicas wanted: Int, pods: [OwnedPod]) -> Decision {
        let ended = pods.filter { $0.phase.isTerminal }.map(\.name).sorted()
        let active = pods.filter { !$0.phase.isTerminal }
        var create = 0
        var surplus: [String] = []
        if active.count < wanted {
            create = wanted - active.count
        } else if active.count > wanted {
            let ranked = active.sorted { a, b in
                if a.scheduled != b.scheduled { return !a.scheduled }
                if (a.phase == .pending) != (b.phase == .pending) { return a.phase == .pending }
                if a.ready != b.ready { return !a.ready }
                if a.createdAt != b.createdAt { return a.createdAt > b.createdAt }
                return a.name > b.name
            }
            surplus = ranked.prefix(active.count - wanted).map(\.name)
        }
        let ready = active.filter(\.ready).count
        let status = ReplicaStatus(replicas: active.count, readyReplicas: ready, availableReplicas: ready,
                                   fullyLabeledReplicas: active.count)
        return Decision(create: create, delete: surplus + ended, status: status)
    }
}
