import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The open body of a streaming response. Writes may come from any task; each `write` is sent as
/// it is (one or more chunks). `closed` resolves when either side ends the stream, so the owner
/// learns at once that a subscriber went away.
public final class HTTPStream: Sendable {
    private let channel: Channel
    private let state = NIOLockedValueBox(State())

    private struct State {
        var isClosed = false
        var closeHandlers: [@Sendable () -> Void] = []
    }

    /// Bytes queued but not yet written to the socket beyond which a slow reader is disconnected
    /// instead of buffering without bound.
    public static let maximumBufferedBytes = 64 << 20

    init(channel: Channel) {
        self.channel = channel
    }

    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }

    /// Queues bytes for the peer; returns false once the stream is closed.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !isClosed else { return false }
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
        return true
    }

    /// Ends the response and closes the connection.
    public func close() {
        guard markClosed() else { return }
        let channel = self.channel
        channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Runs `handler` once when the stream closes (immediately if it already has).
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLockedValue { state -> Bool in
            if state.isClosed { return true }
            state.closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Suspends until the stream has closed.
    public func waitUntilClosed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            onClose { continuation.resume() }
        }
    }

    func connectionClosed() { _ = markClosed() }

    private func markClosed() -> Bool {
        let handlers = state.withLockedValue { state -> [@Sendable () -> Void]? in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            defer { state.closeHandlers = [] }
            return state.closeHandlers
        }
        guard let handlers else { return false }
        for handler in handlers { handler() }
        return true
    }
}
