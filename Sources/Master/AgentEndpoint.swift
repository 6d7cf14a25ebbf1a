import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation

/// `POST /internal/agent`: the agents' channel. REGISTER opens a RecordIO stream of AgentEvents;
/// STATUS_UPDATES are separate calls that name the stream they belong to.
struct AgentEndpoint {
    let master: MasterService

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        switch RequestChecks.postBody(request) {
        case .failure(let rejection): return .response(rejection.response)
        case .success(let format):
            let call: Fairway_Internal_AgentCall
            do {
                call = try format.decode(Fairway_Internal_AgentCall.self, from: request.body)
            } catch {
                return .response(.text(.badRequest, "Failed to parse body into AgentCall: \(error)"))
            }
            switch call.type {
            case .register:
                guard call.hasRegister else { return .response(.text(.badRequest, "Expecting 'register' to be present")) }
                return await register(call.register, format: format)
            case .statusUpdates:
                guard let streamID = request.header("Fairway-Agent-Stream") else {
                    return .response(.text(.badRequest, "Expecting the 'Fairway-Agent-Stream' header"))
                }
                return .response(await master.agentStatusUpdates(agentID: call.agentID.value, streamID: streamID,
                                                                 call.statusUpdates.updates))
            case .unknown:
                return .response(.text(.badRequest, "Expecting 'type' to be present"))
            }
        }
    }

    private func register(_ register: Fairway_Internal_AgentCall.Register, format: MessageFormat) async -> HTTPReply {
        let streamID = UUID().uuidString.lowercased()
        let sink = EventSink(streamID: streamID, format: format)
        switch await master.registerAgent(register, sink: sink) {
        case .none:
            return .response(.text(.serviceUnavailable, "Master is recovering; try again"))
        case .some(.invalid(let message)):
            return .response(.text(.badRequest, message))
        case .some(.shutdown(let message)):
            var event = Fairway_Internal_AgentEvent()
            event.type = .shutdown
            event.shutdown.message = message
            sink.send(event)
            sink.close()
            return .stream(Self.streamHead(format)) { stream in sink.attach(stream) }
        case .some(.registered(let agentID, _)):
            let master = self.master
            return .stream(Self.streamHead(format)) { stream in
                sink.attach(stream)
                await stream.waitUntilClosed()
                await master.agentStreamClosed(agentID: agentID, streamID: streamID)
            }
        }
    }

    static func streamHead(_ format: MessageFormat) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": format.contentType])
    }
}

extension MasterService {
    func registerAgent(_ register: Fairway_Internal_AgentCall.Register, sink: EventSink) -> AgentRegistrationOutcome? {
        guard isReady else { return nil }
        let outcome = state.registerAgent(register, streamID: sink.streamID, now: Self.now())
        if case .registered(let agentID, let actions) = outcome {
            let (closing, rest) = actions.partitioned { action in
                if case .closeAgentStream = action { return true }
                return false
            }
            perform(closing)
            attachAgent(agentID, sink: sink)
            perform(rest)
            logger.info("agent \(agentID) (\(register.agentInfo.hostname)) registered from \(register.address.isEmpty ? register.agentInfo.hostname : register.address):\(register.agentInfo.port)")
        }
        return outcome
    }

    func agentStatusUpdates(agentID: String, streamID: String, _ updates: [Fairway_Internal_StatusUpdate]) -> HTTPResponse {
        let result = step { state, now -> (HTTPResponse, [MasterAction]) in
            switch state.agentStatusUpdates(agentID: agentID, streamID: streamID, updates, now: now) {
            case .success(let actions): return (.accepted, actions)
            case .failure(let problem): return (.text(.forbidden, problem.message), [])
            }
        }
        return result ?? .text(.serviceUnavailable, "Master is recovering; try again")
    }
}
