import FairwayProto
import Glibc
import PodNetwork

/// Pods: task groups whose executor asks for the network `fairway-pods` get a network namespace
/// of their own (one IP for all their containers, which reach each other on localhost) before their
/// first container starts; it is removed and its IP freed once every task of the group has ended.
/// Without pod networking the group runs on the host network and its updates say so.
extension AgentService {
    /// Whether a task group's executor asks for a pod network.
    static func wantsPodNetwork(_ executor: Fairway_V1_ExecutorInfo) -> Bool {
        executor.container.networkInfos.contains { $0.name == PodNetworkIsolator.networkName }
    }

    /// Sets up the pod's network, then starts those of its containers that still wait (a kill
    /// may have ended some meanwhile).
    func startPodGroup(_ executor: Fairway_V1_ExecutorInfo, frameworkID: String, launches: [(TaskKey, ContainerSpec)]) async {
        let key = ExecutorKey(frameworkID: frameworkID, executorID: executor.executorID.value)
        while pods.settingUp.contains(key) {  // a second group for the same executor waits for the first
            try? await Task.sleep(for: .milliseconds(5))
        }
        let group: PodGroupNetwork
        if let existing = pods.groups[key] {
            group = existing
        } else {
            pods.settingUp.insert(key)
            group = await setUpNetwork(for: executor, key: key)
            pods.settingUp.remove(key)
            pods.groups[key] = group
            pendingChanges.append(.savePodNetwork(group))
        }
        let waiting = launches.filter { taskKey, _ in
            state.task(taskKey).map { !$0.state.isTerminal && $0.pid == nil && !$0.killRequested } ?? false
        }
        guard !waiting.isEmpty, !stopped else {
            podGroupMayHaveEnded(key)
            commit()
            return
        }
        commit()  // the pod's IP is on disk before its processes exist
        launch(waiting.map { taskKey, spec in (taskKey, spec.joining(group, isolator: podIsolator)) })
    }

    /// Creates the pod's namespace, or says why the pod runs on the host network.
    private func setUpNetwork(for executor: Fairway_V1_ExecutorInfo, key: ExecutorKey) async -> PodGroupNetwork {
        let hostname = executor.container.hostname.isEmpty ? key.executorID : executor.container.hostname
        let namespace = executor.labels.labels.last { $0.key == "fairway.pod/namespace" }?.value ?? "default"
        let reason: String
        if let agentID = state.agentID {
            do throws(AgentError) {
                let ip = try await podIsolator.attach(podID: key.executorID, agentID: agentID, hostname: hostname, podNamespace: namespace)
                logger.debug("pod \(key) has IP \(ip) in its own network namespace")
                return PodGroupNetwork(key: key, ip: ip.description, isolated: true)
            } catch {
                reason = error.message
            }
        } else {
            reason = "the agent has no id yet"
        }
        if options.podNetwork.mode != .off {
            logger.warning("pod \(key) runs on the host network: \(reason)")
        }
        return PodGroupNetwork(key: key, ip: hostNetworkIP, isolated: false, hostReason: reason)
    }

    /// Frees the pod's network once every task of the group has ended and its processes are gone.
    func podGroupMayHaveEnded(_ key: ExecutorKey) {
        guard let group = pods.groups[key], !pods.settingUp.contains(key) else { return }
        let members = state.tasks.values.filter { $0.key.frameworkID == key.frameworkID && $0.executor?.executorID.value == key.executorID }
        guard members.allSatisfy({ $0.state.isTerminal && !(runtime?.isRunning(containerID: $0.containerID) ?? false) }) else { return }
        releasePodNetwork(group)
    }

    /// Forgets a pod's network and removes its namespace (in the background: `ip` takes a few ms).
    func releasePodNetwork(_ group: PodGroupNetwork) {
        pods.groups[group.key] = nil
        pods.hostNoteSent.remove(group.key)
        pendingChanges.append(.deletePodNetwork(group.key))
        guard group.isolated else { return }
        let isolator = podIsolator
        let ip = IPv4Address(group.ip)
        logger.debug("pod \(group.key) ended: removing its network namespace and freeing \(group.ip)")
        let id = pods.nextDetach
        pods.nextDetach += 1
        pods.detaching[id] = Task {
            await isolator.detach(podID: group.podID, ip: ip)
            await self.detached(id)
        }
    }

    private func detached(_ id: Int) {
        pods.detaching[id] = nil
    }

    /// Lets the namespace removals under way finish (a stopping agent: its pods have ended, and
    /// no agent may come back to remove their namespaces).
    func finishPodDetaches() async {
        for removal in Array(pods.detaching.values) { await removal.value }
    }

    /// At a shutdown that killed every task: removes every pod's network.
    func removePodNetworks() async {
        for group in pods.groups.values {
            pods.groups[group.key] = nil
            pendingChanges.append(.deletePodNetwork(group.key))
            if group.isolated { await podIsolator.detach(podID: group.podID, ip: IPv4Address(group.ip)) }
        }
    }

    /// The pods of tasks that were dropped while their processes may still run (framework shut
    /// down, agent told to forget itself): their networks go once those containers are gone.
    func releasePodNetworksWhenStopped(_ groups: [PodGroupNetwork], containers: [String]) {
        guard !groups.isEmpty else { return }
        for group in groups { pods.groups[group.key] = nil }
        Task { [runtime] in
            let deadline = ContinuousClock.now + .seconds(60)
            while containers.contains(where: { runtime?.isRunning(containerID: $0) ?? false }) && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            await self.releaseDropped(groups)
        }
    }

    private func releaseDropped(_ groups: [PodGroupNetwork]) {
        for group in groups {
            pods.groups[group.key] = group
            releasePodNetwork(group)
        }
        commit()
    }

    /// The address the master and clients should reach this agent at: the IP it listens on, or
    /// when it listens on all of them its hostname's address — unless that is a loopback one
    /// (Debian maps the hostname to 127.0.1.1), which other machines cannot use: then none, and the
    /// master goes by the hostname.
    nonisolated var advertisedAddress: String? {
        if IPv4Address(options.ip) != nil, options.ip != "0.0.0.0" { return options.ip }
        let ip = hostNetworkIP
        return ip.hasPrefix("127.") ? nil : ip
    }

    /// The agent's own IP, which pods on the host network report: the address it serves on, or
    /// its hostname's IPv4 address when it listens on all of them.
    nonisolated var hostNetworkIP: String {
        if IPv4Address(options.ip) != nil, options.ip != "0.0.0.0" { return options.ip }
        if IPv4Address(hostname) != nil { return hostname }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(hostname, nil, &hints, &result) == 0, let first = result else { return "127.0.0.1" }
        defer { freeaddrinfo(result) }
        guard let address = first.pointee.ai_addr else { return "127.0.0.1" }
        let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
        return IPv4Address(value: value).description
    }
}
