import Glibc

/// Launches through the launcher service go through `LaunchBacklog`: a container waits there,
/// without cgroups, until the service has room for it; then its cgroups are prepared (from the
/// pool when one is idle) and its request is sent.
extension ContainerRuntime {
    /// Queues containers for the service and sends what the window allows.
    func enqueueForService(_ specs: [ContainerSpec]) {
        containers.withLock { containers in
            for spec in specs {
                containers[spec.containerID] = Container(pid: nil, sandbox: spec.sandbox, viaService: true, queued: true)
            }
        }
        backlog.withLock { $0.append(specs) }
        sendBacklog()
    }

    /// Sends the next batch of waiting launches, if the window has room. One sender at a time,
    /// so requests leave in the order they were queued. Runs on the caller's thread: the agent's
    /// for new launches, the service reader's as answers free the window.
    func sendBacklog() {
        // Launches that end unsent (killed, failed set-up) free room for the next batch.
        while sendBatch() {}
    }

    /// Sends one batch; true when some of it was not sent after all (room for more).
    private func sendBatch() -> Bool {
        var ended: [(ChildReaper.Exit, String?)] = []
        let unsent = sendLock.withLock { _ -> Int in
            let batch = backlog.withLock { $0.takeBatch() }
            guard !batch.isEmpty else { return 0 }
            var requests: [LaunchRequest] = []
            for spec in batch {
                let killed = containers.withLock { containers -> Bool? in
                    guard var container = containers[spec.containerID] else { return nil }
                    container.queued = false
                    containers[spec.containerID] = container
                    return container.pendingSignal == SIGKILL
                }
                guard let killed else { continue }
                if killed {
                    // Killed while waiting: it never starts.
                    ended.append((ChildReaper.Exit(pid: 0, token: spec.containerID, exit: .signaled(SIGKILL)), nil))
                    continue
                }
                do {
                    let procs = try cgroups?.prepare(containerID: spec.containerID, cpus: spec.cpus, memoryMB: spec.memoryMB) ?? []
                    requests.append(Self.request(spec, cgroupProcsFiles: procs))
                } catch {
                    ended.append((ChildReaper.Exit(pid: 0, token: spec.containerID, exit: .unknown), "\(error)"))
                }
            }
            backlog.withLock { $0.notSent(batch.count - requests.count) }
            guard !requests.isEmpty else { return batch.count }
            do {
                try sendToService(requests)
            } catch {
                backlog.withLock { $0.notSent(requests.count) }
                for request in requests {
                    ended.append((ChildReaper.Exit(pid: 0, token: request.id, exit: .unknown), "\(error)"))
                }
                return batch.count
            }
            return batch.count - requests.count
        }
        for (exit, launchError) in ended {
            processEnded(exit, reportedByService: false, launchError: launchError)
        }
        return unsent > 0
    }

    /// The service answered a launch (started or failed): room for the next ones.
    func launchAnswered() {
        backlog.withLock { $0.answered() }
        sendBacklog()
    }

    /// Ends what still waits, at shutdown: with `killAll` they are reported killed (they never
    /// started); otherwise they are dropped and the next agent finds them never launched.
    func closeBacklog(killAll: Bool) {
        let waiting = backlog.withLock { $0.close() }
        guard killAll else { return }
        for spec in waiting {
            processEnded(ChildReaper.Exit(pid: 0, token: spec.containerID, exit: .signaled(SIGKILL)), reportedByService: false)
        }
    }

    static func request(_ spec: ContainerSpec, cgroupProcsFiles: [String]) -> LaunchRequest {
        LaunchRequest(
            id: spec.containerID, command: spec.command,
            environment: spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            sandbox: spec.sandbox, stdoutPath: spec.sandbox + "/stdout", stderrPath: spec.sandbox + "/" + spec.stderrFile,
            cgroupProcsFiles: cgroupProcsFiles)
    }
}
