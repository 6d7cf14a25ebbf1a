import FairwayCore
import FairwayProto
import FrameworkKit
import KubeAPI
import PodCore
import PodFramework

/// `PodService+Launch` as the bench runs it: bind in the store, one ACCEPT with a LAUNCH_GROUP per
/// pod, declines, the declared demand (capped at 2,000 entries like PodService's), and status and
/// event writes through the serial write lane.
extension PodBenchShell {
    func launch(_ uids: [String], offerID: String, refuseSeconds: Double) {
        let now = Self.now()
        guard let offer = offers.removeValue(forKey: offerID) else {
            perform(tracker.launchFailed(podUIDs: uids, reason: "offer \(offerID) was rescinded before it could be used", now: now))
            return
        }
        let start = Stopwatch.nanoseconds()
        var left = offer.availableResources
        var operations: [Fairway_V1_Offer.Operation] = []
        for uid in uids {
            guard let pod = manifests[uid] else { continue }
            var slices: [Resources] = []
            var room = left
            for container in pod.containers {
                guard let slice = room.slice(matching: Resources(scalars: ["cpus": container.cpus, "mem": container.memoryMB])) else { break }
                room -= slice
                slices.append(slice)
            }
            guard slices.count == pod.containers.count else {
                perform(tracker.launchFailed(podUIDs: [uid], reason: "offer \(offerID) could not hold the pod", now: now))
                continue
            }
            left = room
            operations.append(launchGroup(for: pod, agentID: offer.agentID, resources: slices))
            bind(pod, to: offer)
        }
        times.add("shell_launch", since: start)
        guard !operations.isEmpty else {
            decline([offerID], refuseSeconds: 1)
            return
        }
        count("offers_used")
        count("pods_launched", operations.count)
        lastLaunchAt = Stopwatch.nanoseconds()
        var call = Fairway_V1_Scheduler_Call()
        call.type = .accept
        call.accept.offerIds = [offer.id]
        call.accept.operations = operations
        call.accept.filters.refuseSeconds = refuseSeconds
        send(call)
    }

    /// `TaskGroupFactory.group(for:…)` without services: an executor standing for the pod and
    /// one task per container running its command directly.
    private func launchGroup(for pod: PodBenchManifest, agentID: Fairway_V1_AgentID, resources: [Resources]) -> Fairway_V1_Offer.Operation {
        var operation = Fairway_V1_Offer.Operation()
        operation.type = .launchGroup
        var executor = Fairway_V1_ExecutorInfo()
        executor.type = .default
        executor.executorID.value = "pod-" + pod.uid
        executor.frameworkID = frameworkID
        executor.name = "pod \(pod.namespace)/\(pod.name)"
        executor.container.type = .mesos
        executor.container.hostname = pod.name
        var network = Fairway_V1_NetworkInfo()
        network.name = "fairway-pods"
        executor.container.networkInfos = [network]
        executor.labels = Self.labels([("fairway.pod/namespace", pod.namespace), ("fairway.pod/name", pod.name)])
        operation.launchGroup.executor = executor
        operation.launchGroup.taskGroup.tasks = zip(pod.containers, resources).map { container, slice in
            var task = Fairway_V1_TaskInfo.command(id: PodTaskID.make(podUID: pod.uid, container: container.name),
                                                   name: "\(pod.namespace)/\(pod.name)/\(container.name)", agentID: agentID,
                                                   arguments: container.arguments, resources: slice,
                                                   environment: ["HOSTNAME": pod.name])
            task.labels = Self.labels([("fairway.pod/restart-policy", pod.restartPolicy)])
            return task
        }
        return operation
    }

    static func labels(_ pairs: [(String, String)]) -> Fairway_V1_Labels {
        var labels = Fairway_V1_Labels()
        labels.labels = pairs.map { key, value in
            var label = Fairway_V1_Label()
            label.key = key
            label.value = value
            return label
        }
        return labels
    }

    /// `spec.nodeName` and the agent annotation, as `PodService.bind` writes them.
    private func bind(_ pod: PodBenchManifest, to offer: Fairway_V1_Offer) {
        let hostname = offer.hostname, agentID = offer.agentID.value, uid = pod.uid
        let namespace = pod.namespace, name = pod.name
        writes.write(.binding, pod: "\(namespace)/\(name)") { store in
            _ = try await store.modify(.pods, namespace: namespace, name: name) { object in
                guard object.string("metadata", "uid") == uid else { return }
                object[path: "spec", "nodeName"] = .string(hostname)
                object[path: "metadata", "annotations", Self.agentAnnotation] = .string(agentID)
            }
        }
    }

    func decline(_ offerIDs: [String], refuseSeconds: Double) {
        let ids: [Fairway_V1_OfferID] = offerIDs.compactMap { id in
            guard offers.removeValue(forKey: id) != nil else { return nil }
            var offerID = Fairway_V1_OfferID()
            offerID.value = id
            return offerID
        }
        guard !ids.isEmpty else { return }
        count("offers_declined", ids.count)
        var call = Fairway_V1_Scheduler_Call()
        call.type = .decline
        call.decline.offerIds = ids
        call.decline.filters.refuseSeconds = refuseSeconds
        send(call)
    }

    func declare(_ demand: [PodDemand]) {
        let start = Stopwatch.nanoseconds()
        var requests: [Fairway_V1_Request] = []
        for shape in demand {
            var request = Fairway_V1_Request()
            request.resources = Resources(scalars: ["cpus": shape.cpus, "mem": shape.memMB]).proto()
            requests += Array(repeating: request, count: min(shape.count, 2_000 - requests.count))
            if requests.count >= 2_000 { break }
        }
        var call = Fairway_V1_Scheduler_Call()
        call.type = .request
        call.request.requests = requests
        times.add("shell_demand", since: start)
        send(call)
    }

    func writeStatus(_ uid: String, _ status: PodStatusView) {
        guard let pod = manifests[uid] else { return }
        let json = status.json
        let namespace = pod.namespace, name = pod.name
        writes.write(status.phase == .running ? .runningStatus : .status, pod: "\(namespace)/\(name)") { store in
            _ = try await store.modify(.pods, namespace: namespace, name: name, subresource: "status") { object in
                guard object.string("metadata", "uid") == uid else { return }
                object["status"] = json
            }
        }
    }

    func recordEvent(_ uid: String, warning: Bool, reason: String, message: String) {
        guard let pod = manifests[uid] else { return }
        let involved: JSON = ["kind": "Pod", "apiVersion": "v1",
                              "metadata": ["namespace": .string(pod.namespace), "name": .string(pod.name), "uid": .string(pod.uid)]]
        writes.write(.event, pod: "\(pod.namespace)/\(pod.name)") { store in
            await store.recordEvent(involving: involved, type: warning ? "Warning" : "Normal", reason: reason,
                                    message: message, source: "fairway-pods")
        }
    }
}
