import Glibc

/// The containers started by the launcher service: its replies become container events, a
/// restarted agent takes over what the service still runs or saw end, and a service that dies
/// is noticed, its tasks watched as adopted processes, and a new service started.
extension ContainerRuntime {
    /// Recovery: takes over the containers the launcher service reported when the agent
    /// connected. `known` maps the container ids of the agent's unfinished tasks to their
    /// sandboxes. Returns the ids the service knew (still running, or ended with a status that is
    /// now reported); processes the agent does not know are killed, exits it does not know are
    /// acknowledged. Then starts delivering the service's replies.
    func reattachServiceContainers(_ known: [String: String]) -> Set<String> {
        guard let service else { return [] }
        let snapshot = serviceSnapshot.withLock { snapshot -> LauncherServiceSnapshot? in
            defer { snapshot = nil }
            return snapshot
        }
        var attached: Set<String> = []
        var ended: [LauncherServiceSnapshot.Exited] = []
        var forget: [String] = []
        for entry in snapshot?.running ?? [] {
            guard let sandbox = known[entry.id] else {
                logger.warning("killing process \(entry.pid) (container \(entry.id)): the launcher service runs it but this agent has no task for it")
                if kill(-entry.pid, SIGKILL) != 0 { _ = kill(entry.pid, SIGKILL) }
                continue
            }
            let startTime = Self.startTime(of: entry.pid)
            containers.withLock {
                $0[entry.id] = Container(pid: entry.pid, startTime: startTime, sandbox: sandbox, viaService: true)
            }
            continuation.yield(.started(containerID: entry.id, pid: entry.pid, startTime: startTime))
            attached.insert(entry.id)
        }
        for entry in snapshot?.exited ?? [] {
            guard let sandbox = known[entry.id] else {
                forget.append(entry.id)
                continue
            }
            containers.withLock { $0[entry.id] = Container(pid: entry.pid, sandbox: sandbox, viaService: true) }
            ended.append(entry)
            attached.insert(entry.id)
        }
        service.acknowledge(forget)
        service.startReading { [weak self] event in self?.serviceEvent(event) }
        for entry in ended {
            processEnded(ChildReaper.Exit(pid: entry.pid, token: entry.id, exit: ProcessExit(waitStatus: entry.status)),
                         reportedByService: true)
        }
        if let snapshot, !snapshot.running.isEmpty || !snapshot.exited.isEmpty {
            logger.info("the launcher service (pid \(snapshot.servicePid)) still runs \(snapshot.running.count) task process(es) and reported \(snapshot.exited.count) exit(s) that happened while no agent listened")
        }
        return attached
    }

    /// The agent has recorded these exits in its checkpoint: the service may forget them.
    func acknowledgeExits(_ containerIDs: [String]) {
        service?.acknowledge(containerIDs)
    }

    /// Sends launch requests, first starting a new service if the last one is gone.
    func sendToService(_ requests: [LaunchRequest]) throws(AgentError) {
        guard let service else { return }
        if !service.isConnected { try reconnectService() }
        try service.launch(requests)
    }

    /// A reply from the service, on its client's reader thread.
    func serviceEvent(_ event: LauncherServiceClient.Event) {
        switch event {
        case .started(let id, let pid):
            let startTime = Self.startTime(of: pid)
            let pending = containers.withLock { containers -> (Int32?, Bool)? in
                guard var container = containers[id] else { return nil }
                defer {
                    container.pendingSignal = nil
                    containers[id] = container
                }
                container.pid = pid
                container.startTime = startTime
                return (container.pendingSignal, container.pendingWholeContainer)
            }
            guard let (signal, wholeContainer) = pending else {
                // Not (or no longer) a container of this agent.
                if kill(-pid, SIGKILL) != 0 { _ = kill(pid, SIGKILL) }
                launchAnswered()
                return
            }
            continuation.yield(.started(containerID: id, pid: pid, startTime: startTime))
            if let signal { self.signal(containerID: id, signal, wholeContainer: wholeContainer) }
            launchAnswered()
        case .failed(let id, let message):
            processEnded(ChildReaper.Exit(pid: 0, token: id, exit: .unknown), reportedByService: false, launchError: message)
            launchAnswered()
        case .exited(let id, let pid, let status):
            processEnded(ChildReaper.Exit(pid: pid, token: id, exit: ProcessExit(waitStatus: status)), reportedByService: true)
        case .lost(let reason):
            serviceLost(reason)
        }
    }

    /// The service died. Its tasks keep running (they are in their own sessions) but are nobody's
    /// children now: they are watched like processes adopted after a restart, and their exit
    /// status is unknown. Launches it had not answered fail (whatever they started is killed
    /// through their cgroups). Then a new service is started for the next launches.
    private func serviceLost(_ reason: String) {
        // Launches still in the backlog were never sent: they go to the next service.
        let orphans = containers.withLock { containers -> [(String, Container)] in
            containers.filter { $0.value.viaService && !$0.value.queued }.map { ($0.key, $0.value) }
        }
        backlog.withLock { $0.connectionLost() }
        logger.error("\(reason); \(orphans.filter { $0.1.pid != nil }.count) task(s) it started are watched without it (their exit status can no longer be known) and a new launcher service is started")
        for (id, container) in orphans {
            if let pid = container.pid {
                adopt(containerID: id, pid: pid, startTime: container.startTime, sandbox: container.sandbox,
                      unknownExitReason: "the agent's launcher service, the task's parent process, died")
            } else {
                if let cgroups { for pid in cgroups.processes(containerID: id) { _ = kill(pid, SIGKILL) } }
                processEnded(ChildReaper.Exit(pid: 0, token: id, exit: .unknown), reportedByService: false,
                             launchError: "the launcher service died while starting the task")
            }
        }
        do {
            try reconnectService()
        } catch {
            logger.error("could not start a new launcher service: \(error); launches fail until one can be started")
        }
        sendBacklog()
    }

    /// Connects to (or starts) a service after the last one went away. A new service knows none
    /// of this agent's containers; anything it reports is not ours and is dropped.
    private func reconnectService() throws(AgentError) {
        guard let service else { return }
        try reconnectLock.withLock { _ throws(AgentError) in
            guard !service.isConnected else { return }
            let snapshot = try service.connect()
            let known = containers.withLock { containers in containers.filter { $0.value.viaService }.mapValues(\.sandbox) }
            for entry in snapshot.running where known[entry.id] == nil {
                if kill(-entry.pid, SIGKILL) != 0 { _ = kill(entry.pid, SIGKILL) }
            }
            service.acknowledge(snapshot.exited.map(\.id).filter { known[$0] == nil })
            service.startReading { [weak self] event in self?.serviceEvent(event) }
        }
    }
}
