import FairwayCore
import FairwayProto
import FrameworkKit
import KubeAPI
import PodCore

extension PodService {
    /// Binds the pods to the offer's agent in the store, then accepts the offer with one
    /// LAUNCH_GROUP per pod. A pod the offer cannot hold goes back to the queue.
    func launch(_ uids: [String], offerID: String, refuseSeconds: Double) {
        let now = Self.now()
        guard let offer = desk.use(offerID) else {
            perform(tracker.launchFailed(podUIDs: uids, reason: "offer \(offerID) was rescinded before it could be used", now: now))
            return
        }
        var left = offer.availableResources
        var groups: [(executor: Fairway_V1_ExecutorInfo, tasks: [Fairway_V1_TaskInfo])] = []
        var launched: [String] = []
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
            groups.append(factory.group(for: pod, agentID: offer.agentID, resources: slices,
                                        serviceEnvironment: serviceEnvironment(namespace: pod.namespace)))
            launched.append(uid)
            bind(pod, to: offer)
        }
        guard !groups.isEmpty else {
            decline([offerID], refuseSeconds: 1)
            return
        }
        calls?.send("LAUNCH_GROUP \(launched.count) pods on \(offer.hostname)") { [groups, launched] scheduler in
            do {
                try await scheduler.launchGroups(offer, groups: groups, refuseSeconds: refuseSeconds)
            } catch {
                await self.launchFailed(launched, error: error)
                throw error
            }
        }
    }

    func launchFailed(_ uids: [String], error: any Error) {
        perform(tracker.launchFailed(podUIDs: uids, reason: "the master did not take the launch: \(error)", now: Self.now()))
    }

    /// Records where the pod runs — `spec.nodeName` (what `kubectl get pods -o wide` shows) and the
    /// agent id, which a restarted framework needs to reconcile the pod's containers — together
    /// with its status as scheduled, in one change.
    private func bind(_ pod: PodManifest, to offer: Fairway_V1_Offer) {
        let hostname = offer.hostname, agentID = offer.agentID.value
        let status = tracker.status(of: pod.uid)?.json
        writes.write("binding of \(pod.namespace)/\(pod.name)") { store in
            _ = try store.modifyObject(.pods, namespace: pod.namespace, name: pod.name) { object in
                guard object.string("metadata", "uid") == pod.uid else { return }
                object[path: "spec", "nodeName"] = .string(hostname)
                object[path: "metadata", "annotations", Self.agentAnnotation] = .string(agentID)
                if let status { object["status"] = status }
            }
        }
    }

    func decline(_ offerIDs: [String], refuseSeconds: Double) {
        calls?.decline(offers: desk.release(offerIDs), refuseSeconds: refuseSeconds)
    }

    /// Sends declared demand at most every `demandInterval`; only the newest is sent (a burst of
    /// pod creations would otherwise make one REQUEST, and one allocator pass, per pod).
    func declare(_ demand: [PodDemand]) {
        unsentDemand = demand
        guard demandTimer == nil else { return }
        sendDemand()
        demandTimer = Task {
            try? await Task.sleep(for: Self.demandInterval)
            self.demandWindowEnded()
        }
    }

    private func demandWindowEnded() {
        demandTimer = nil
        if unsentDemand != nil { declare(unsentDemand ?? []) }
    }

    private func sendDemand() {
        guard let demand = unsentDemand else { return }
        unsentDemand = nil
        var requests: [Fairway_V1_Request] = []
        for shape in demand {
            var request = Fairway_V1_Request()
            request.resources = Resources(scalars: ["cpus": shape.cpus, "mem": shape.memMB]).proto()
            requests += Array(repeating: request, count: min(shape.count, 2_000 - requests.count))
            if requests.count >= 2_000 { break }
        }
        calls?.send("REQUEST (\(requests.count) pods)") { [requests] in try await $0.request(requests) }
    }

    func writeStatus(_ uid: String, _ status: PodStatusView) {
        guard let pod = manifests[uid] else { return }
        let json = status.json
        writes.write("status of \(pod.namespace)/\(pod.name)") { store in
            _ = try store.modify(.pods, namespace: pod.namespace, name: pod.name, subresource: "status") { object in
                guard object.string("metadata", "uid") == pod.uid else { return }
                object["status"] = json
            }
        }
    }

    func recordEvent(_ uid: String, warning: Bool, reason: String, message: String) {
        guard let pod = manifests[uid] else { return }
        let involved: JSON = ["kind": "Pod", "apiVersion": "v1",
                              "metadata": ["namespace": .string(pod.namespace), "name": .string(pod.name), "uid": .string(pod.uid)]]
        writes.write("event \(reason) for \(pod.namespace)/\(pod.name)") { store in
            store.recordEvent(involving: involved, type: warning ? "Warning" : "Normal", reason: reason,
                                        message: message, source: "fairway-pods")
        }
    }

    /// `NAME_SERVICE_HOST`, `NAME_SERVICE_PORT` (and per named port) and the Docker-link style
    /// variables of the services in a namespace, as the kubelet sets them.
    func serviceEnvironment(namespace: String) -> [(String, String)] {
        var variables: [(String, String)] = []
        for (name, service) in (services[namespace] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let ip = service.string("spec", "clusterIP"), ip != "None", !ip.isEmpty,
                  let ports = service[path: "spec", "ports"]?.arrayValue, let first = ports.first?["port"]?.intValue else { continue }
            let prefix = name.uppercased().replacingOccurrences(of: "-", with: "_")
            variables.append((prefix + "_SERVICE_HOST", ip))
            variables.append((prefix + "_SERVICE_PORT", String(first)))
            for port in ports {
                guard let number = port["port"]?.intValue else { continue }
                let proto = port.string("protocol") ?? "TCP"
                if let portName = port.string("name"), !portName.isEmpty {
                    variables.append((prefix + "_SERVICE_PORT_" + portName.uppercased().replacingOccurrences(of: "-", with: "_"), String(number)))
                }
                let link = "\(prefix)_PORT_\(number)_\(proto)"
                variables.append((link, "\(proto.lowercased())://\(ip):\(number)"))
                variables.append((link + "_PROTO", proto.lowercased()))
                variables.append((link + "_PORT", String(number)))
                variables.append((link + "_ADDR", ip))
            }
            variables.append((prefix + "_PORT", "\(first == 0 ? "tcp" : (ports.first?.string("protocol") ?? "TCP").lowercased())://\(ip):\(first)"))
        }
        return variables
    }
}
