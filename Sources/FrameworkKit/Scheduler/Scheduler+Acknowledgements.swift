import FairwayProto
import Logging

extension Scheduler {
    /// Queues the ACKNOWLEDGE for an update. A few workers drain the queue concurrently, so a
    /// burst of updates is acknowledged quickly without holding up the delivery of later events.
    func enqueueAcknowledgement(_ status: Fairway_V1_TaskStatus) {
        guard let call = SchedulerCalls.acknowledge(status) else { return }
        pendingAcknowledgements.append(call)
        if acknowledgementWorkers < max(1, configuration.acknowledgementConcurrency) {
            acknowledgementWorkers += 1
            Task { await self.drainAcknowledgements() }
        }
    }

    private func drainAcknowledgements() async {
        while acknowledgementHead < pendingAcknowledgements.count {
            let call = pendingAcknowledgements[acknowledgementHead]
            acknowledgementHead += 1
            if acknowledgementHead >= 1024 && acknowledgementHead * 2 >= pendingAcknowledgements.count {
                pendingAcknowledgements.removeFirst(acknowledgementHead)
                acknowledgementHead = 0
            }
            do {
                try await send(call)
            } catch {
                // The agent resends unacknowledged updates, so a lost acknowledgement only delays.
                logger.warning("acknowledgement failed", metadata: [
                    "task": "\(call.acknowledge.taskID.value)", "error": "\(error)",
                ])
            }
        }
        acknowledgementWorkers -= 1
    }
}
