import FairwayCore
import FairwayHTTP
import NIOConcurrencyHelpers
import SwiftProtobuf

/// One subscriber's outgoing event stream. Events written before the HTTP response is ready are
/// buffered and flushed when the stream attaches, so nothing the state machine sends is lost to
/// that race.
final class EventSink: Sendable {
    let streamID: String
    let format: MessageFormat
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stream: HTTPStream?
        var pending: [[UInt8]] = []
        var closeRequested = false
    }

    init(streamID: String, format: MessageFormat) {
        self.streamID = streamID
        self.format = format
    }

    func send<M: SwiftProtobuf.Message>(_ message: M) {
        write(RecordIO.encode(format.encode(message)))
    }

    func write(_ record: [UInt8]) {
        let stream = state.withLockedValue { state -> HTTPStream? in
            if state.stream == nil { state.pending.append(record) }
            return state.stream
        }
        stream?.write(record)
    }

    func attach(_ stream: HTTPStream) {
        let (pending, closeRequested) = state.withLockedValue { state -> ([[UInt8]], Bool) in
            state.stream = stream
            defer { state.pending = [] }
            return (state.pending, state.closeRequested)
        }
        if !pending.isEmpty { stream.write(pending.flatMap { $0 }) }
        if closeRequested { stream.close() }
    }

    func close() {
        let stream = state.withLockedValue { state -> HTTPStream? in
            state.closeRequested = true
            return state.stream
        }
        stream?.close()
    }
}
