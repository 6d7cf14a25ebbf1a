/// Where `pods/NAME/log` reads container output from. The pods framework implements it (it knows
/// which agent sandbox holds a container's files); the handler only streams what it writes.
public protocol PodLogSource: Sendable {
    /// Calls `write` with chunks of the container's output; returns when done (follow=false) or when
    /// the pod's container ends / `isCancelled` (follow=true). `write` returns false once the
    /// client has gone away: stop then.
    func streamLog(namespace: String, pod: JSON, container: String?, follow: Bool, tailLines: Int?,
                   limitBytes: Int?, write: @escaping @Sendable ([UInt8]) async -> Bool) async throws(KubeError)
}

/// Hands log chunks from the log source's task to the HTTP response, holding at most
/// `limit` bytes (the writer waits beyond that).
actor LogPump {
    enum Item: Sendable {
        case chunk([UInt8])
        case end
        case failed(KubeError)
    }

    let limit: Int
    var buffered: [[UInt8]] = []
    var bufferedBytes = 0
    var outcome: Item?
    var closed = false
    var reader: CheckedContinuation<Item, Never>?
    var writers: [CheckedContinuation<Void, Never>] = []

    init(limit: Int = 1 << 20) { self.limit = limit }

    /// Queues a chunk; false once the reader has gone.
    func push(_ chunk: [UInt8]) async -> Bool {
        guard !closed else { return false }
        if chunk.isEmpty { return true }
        if let waiting = reader {
            reader = nil
            waiting.resume(returning: .chunk(chunk))
            return true
        }
        buffered.append(chunk)
        bufferedBytes += chunk.count
        while bufferedBytes > limit && !closed {
            await withCheckedContinuation { writers.append($0) }
        }
        return !closed
    }

    /// The source has finished (nil) or failed.
    func finish(_ error: KubeError?) {
        guard outcome == nil else { return }
        outcome = error.map { .failed($0) } ?? .end
        if let waiting = reader, let outcome {
            reader = nil
            waiting.resume(returning: outcome)
        }
    }

    /// The next chunk, or how the source ended.
    func next() async -> Item {
        if !buffered.isEmpty {
            let chunk = buffered.removeFirst()
            bufferedBytes -= chunk.count
            if bufferedBytes <= limit { wakeWriters() }
            return .chunk(chunk)
        }
        if closed { return .end }
        if let outcome { return outcome }
        return await withCheckedContinuation { reader = $0 }
    }

    /// Everything buffered, joined (for a whole, non-following response).
    func drain() -> [UInt8] {
        defer {
            buffered = []
            bufferedBytes = 0
        }
        return buffered.flatMap { $0 }
    }

    /// The reader has gone: writers are told to stop.
    func close() {
        closed = true
        wakeWriters()
        if let waiting = reader {
            reader = nil
            waiting.resume(returning: .end)
        }
    }

    func wakeWriters() {
        let waiting = writers
        writers = []
        for writer in waiting { writer.resume() }
    }
}
