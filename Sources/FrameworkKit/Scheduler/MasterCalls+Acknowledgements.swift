import FairwayProto

/// Acknowledgements go out together (ACKNOWLEDGE_MANY), at most `acknowledgementDelay` after the
/// first one waiting, or at once when `acknowledgementBatch` are waiting: one call per status
/// update would otherwise be a framework's largest cost at thousands of tasks a second.
/// ACKNOWLEDGE_MANY is Fairway's own; a Mesos master would refuse it.
extension MasterCalls {
    static let acknowledgementBatch = 256
    static let acknowledgementDelay: Duration = .milliseconds(5)

    /// Queues the acknowledgement of an update that carries a uuid (others need none).
    public func acknowledgeSoon(_ status: Fairway_V1_TaskStatus) {
        guard status.hasUuid, !status.uuid.isEmpty else { return }
        let (full, first) = unacknowledged.withLock { waiting -> (Bool, Bool) in
            waiting.append(status)
            return (waiting.count >= Self.acknowledgementBatch, waiting.count == 1)
        }
        if full {
            flushAcknowledgements()
        } else if first {
            Task {
                try? await Task.sleep(for: Self.acknowledgementDelay)
                self.flushAcknowledgements()
            }
        }
    }

    /// Sends what waits now.
    public func flushAcknowledgements() {
        let statuses = unacknowledged.withLock { waiting -> [Fairway_V1_TaskStatus] in
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
        guard !statuses.isEmpty else { return }
        acknowledge("ACKNOWLEDGE_MANY (\(statuses.count) updates)") { try await $0.acknowledge(statuses) }
    }
}
