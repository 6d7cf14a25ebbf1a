import Agent
import FairwayProto
import Foundation
import Synchronization

/// A master that lives in the test: it records REGISTER calls and status updates, answers REGISTER
/// with REGISTERED, lets the test push any event down the current stream or drop the stream, and
/// can acknowledge every update it receives.
final class FakeMaster: MasterLink {
    struct State {
        var registrations: [Fairway_Internal_AgentCall] = []
        var updates: [Fairway_Internal_StatusUpdate] = []
        var continuation: AsyncStream<Fairway_Internal_AgentEvent>.Continuation?
        var autoAcknowledge = false
        var refuseNext: (Int, String)?
        var nextAgentNumber = 1
    }

    let state = Mutex(State())

    init(autoAcknowledge: Bool = false) {
        state.withLock { $0.autoAcknowledge = autoAcknowledge }
    }

    var registrations: [Fairway_Internal_AgentCall] { state.withLock { $0.registrations } }
    var updates: [Fairway_Internal_StatusUpdate] { state.withLock { $0.updates } }
    var isConnected: Bool { state.withLock { $0.continuation != nil } }

    func setAutoAcknowledge(_ value: Bool) { state.withLock { $0.autoAcknowledge = value } }
    func refuseNextRegistration(status: Int, message: String) { state.withLock { $0.refuseNext = (status, message) } }

    func register(_ call: Fairway_Internal_AgentCall,
                  onEvent: @escaping @Sendable (Fairway_Internal_AgentEvent) async throws -> Void) async throws -> MasterLinkEnd {
        let (stream, continuation) = AsyncStream.makeStream(of: Fairway_Internal_AgentEvent.self)
        let refusal: (Int, String)? = state.withLock { state in
            state.registrations.append(call)
            if let refusal = state.refuseNext {
                state.refuseNext = nil
                return refusal
            }
            state.continuation = continuation
            return nil
        }
        if let refusal { return .refused(status: refusal.0, message: refusal.1) }
        var registered = Fairway_Internal_AgentEvent()
        registered.type = .registered
        let agentID = call.register.agentInfo.hasID ? call.register.agentInfo.id.value
            : state.withLock { state -> String in
                defer { state.nextAgentNumber += 1 }
                return "agent-\(state.nextAgentNumber)"
            }
        registered.registered.agentID.value = agentID
        registered.registered.masterInfo.id = "master-1"
        registered.registered.masterInfo.ip = 0
        registered.registered.masterInfo.port = 5050
        registered.registered.streamID = UUID().uuidString
        registered.registered.heartbeatIntervalSeconds = 15
        continuation.yield(registered)
        defer { state.withLock { if $0.continuation != nil { $0.continuation = nil } } }
        for await event in stream {
            try await onEvent(event)
        }
        return .closed
    }

    func sendStatusUpdates(_ call: Fairway_Internal_AgentCall, streamID: String) async throws {
        let (continuation, acknowledge) = state.withLock { state in
            state.updates += call.statusUpdates.updates
            return (state.continuation, state.autoAcknowledge)
        }
        if acknowledge, let continuation {
            var event = Fairway_Internal_AgentEvent()
            event.type = .acknowledge
            event.acknowledgements = call.statusUpdates.updates.map { update in
                var ack = Fairway_Internal_AgentEvent.Acknowledge()
                ack.frameworkID = update.frameworkID
                ack.taskID = update.status.taskID
                ack.uuid = update.status.uuid
                return ack
            }
            continuation.yield(event)
        }
    }

    /// Pushes an event down the current stream.
    func send(_ event: Fairway_Internal_AgentEvent) {
        _ = state.withLock { $0.continuation }?.yield(event)
    }

    /// Ends the current stream, as a master that dies would.
    func dropStream() {
        let continuation = state.withLock { state -> AsyncStream<Fairway_Internal_AgentEvent>.Continuation? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }

    func acknowledge(_ update: Fairway_Internal_StatusUpdate) {
        send(Events.acknowledge(update))
    }

    /// Updates received for one task, in order.
    func updates(for taskID: String) -> [Fairway_Internal_StatusUpdate] {
        updates.filter { $0.status.taskID.value == taskID }
    }

    /// The states reported for a task, duplicates (resends) removed.
    func states(for taskID: String) -> [Fairway_V1_TaskState] {
        var seen = Set<Data>()
        return updates(for: taskID).filter { seen.insert($0.status.uuid).inserted }.map(\.status.state)
    }
}
