import FairwayProto

/// Status update delivery: updates are queued per task, checkpointed before they leave, and sent
/// in batches (everything that becomes ready within `updateBatchWindow` goes in one call, one call
/// in flight at a time; while updates keep coming, within `busyUpdateBatchWindow`).
extension AgentService {
    /// Queues an update for delivery (and for the checkpoint).
    func enqueue(_ update: Fairway_Internal_StatusUpdate, for key: TaskKey) {
        var update = update
        decorate(&update, for: key)
        let entry = queue.enqueue(update, for: key)
        pendingChanges.append(.appendUpdate(key, entry))
        scheduleFlush()
    }

    /// Writes pending checkpoint changes in one transaction. On failure they stay pending and are
    /// tried again with the next commit. Exits the launcher service reported are acknowledged to
    /// it only after they are committed, so a crash in between makes it report them again.
    func commit() {
        guard !checkpointClosed else { return }
        if !pendingChanges.isEmpty {
            do {
                try checkpoint.apply(pendingChanges)
                pendingChanges.removeAll(keepingCapacity: true)
            } catch {
                logger.error("\(error)")
                return
            }
        }
        if !serviceAcks.isEmpty {
            runtime?.acknowledgeExits(serviceAcks)
            serviceAcks.removeAll(keepingCapacity: true)
        }
    }

    /// While updates keep coming, the next call waits this long (at least) for more, so that the
    /// checkpoint commits and the master's work per call are shared by many updates (a busy agent
    /// otherwise sends a call every couple of milliseconds, each one a transaction here and there).
    static let busyUpdateBatchWindow = 0.02

    /// Flushes after `updateBatchWindow`, or after `busyUpdateBatchWindow` when `busy` (the last
    /// call has just returned and more updates are ready).
    func scheduleFlush(busy: Bool = false) {
        guard !flushScheduled, !stopped else { return }
        flushScheduled = true
        let window = busy ? max(options.updateBatchWindow, Self.busyUpdateBatchWindow) : options.updateBatchWindow
        Task {
            if window > 0 { try? await Task.sleep(for: .seconds(window)) }
            await self.flush()
        }
    }

    /// Commits the checkpoint, then sends every update that is due in one STATUS_UPDATES call.
    func flush() async {
        flushScheduled = false
        commit()
        guard let streamID, let agentID = state.agentID, !sending, !stopped else { return }
        let due = queue.takeDue(now: Self.now())
        guard !due.isEmpty else { return }
        var call = Fairway_Internal_AgentCall()
        call.type = .statusUpdates
        call.agentID.value = agentID
        call.statusUpdates.updates = due.map { key, entry in
            var update = entry.update
            update.latestState = state.task(key)?.state ?? entry.update.status.state
            return update
        }
        sending = true
        do {
            try await link.sendStatusUpdates(call, streamID: streamID)
            if sendFailures > 0 { logger.info("status updates reach the master again") }
            sendFailures = 0
        } catch {
            sendFailures += 1
            if sendFailures == 1 || sendFailures % 100 == 0 {
                logger.warning("could not send \(due.count) status update(s) to the master (\(error)); they are resent after re-registration or within \(Int(options.initialRetryInterval)) s")
            }
        }
        sending = false
        if queue.hasReady { scheduleFlush(busy: true) }
    }

    /// Once a second: resend updates whose retry time has come, notice a silent master, and commit.
    func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { break }
            tick()
        }
    }

    func tick() {
        let now = Self.now()
        if streamID != nil, let interval = heartbeatInterval, interval > 0, now - lastEventTime > 3 * interval + 5 {
            logger.warning("no event from the master for \(Int(now - lastEventTime)) s (heartbeats every \(interval) s); reconnecting")
            currentConnection?.cancel()
        }
        if streamID != nil, let retry = queue.nextRetryTime, retry <= now {
            scheduleFlush()
        } else {
            commit()
        }
    }
}
