import Synchronization

/// The endpoints of one listener and whose turn is next: shared by the listener's accept path
/// (on NIO's event loops) and `ServiceProxy.apply`, which swaps the list while connections run.
final class EndpointRotation: Sendable {
    private struct State {
        var endpoints: [ServiceEndpoint]
        var next = 0
    }

    private let state: Mutex<State>

    init(_ endpoints: [ServiceEndpoint]) {
        state = Mutex(State(endpoints: endpoints))
    }

    /// The endpoint whose turn it is (and advances); nil when there is none.
    func next() -> ServiceEndpoint? {
        state.withLock { state in
            guard !state.endpoints.isEmpty else { return nil }
            let endpoint = state.endpoints[state.next % state.endpoints.count]
            state.next = (state.next + 1) % state.endpoints.count
            return endpoint
        }
    }

    var count: Int { state.withLock { $0.endpoints.count } }

    var endpoints: [ServiceEndpoint] { state.withLock { $0.endpoints } }

    /// Replaces the list; the turn restarts at the first endpoint when the list changed.
    func replace(_ endpoints: [ServiceEndpoint]) {
        state.withLock { state in
            guard state.endpoints != endpoints else { return }
            state.endpoints = endpoints
            state.next = 0
        }
    }
}
