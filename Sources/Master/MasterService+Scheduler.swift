import FairwayCore
import FairwayHTTP
import FairwayProto

extension MasterService {
    func subscribe(_ subscribe: Fairway_V1_Scheduler_Call.Subscribe, sink: EventSink) -> SubscribeOutcome? {
        guard isReady else { return nil }
        let outcome = state.subscribe(subscribe, streamID: sink.streamID, now: Self.now())
        if case .subscribed(let frameworkID, let actions) = outcome {
            // Close a previous subscription first so its ERROR goes out before the new stream takes over.
            let (closing, rest) = actions.partitioned { action in
                if case .closeFrameworkStream = action { return true }
                if case .sendToFramework(_, let event) = action, event.type == .error { return true }
                return false
            }
            perform(closing)
            attachFramework(frameworkID, sink: sink)
            perform(rest)
            logger.info("framework \(frameworkID) (\(subscribe.frameworkInfo.name)) subscribed")
        }
        return outcome
    }

    /// Every scheduler call but SUBSCRIBE: checks the framework and its stream id, then hands the
    /// call to the state machine. Answers 202 as Mesos does, or the 4xx Mesos would give.
    func schedulerCall(_ call: Fairway_V1_Scheduler_Call, streamID: String?) -> HTTPResponse {
        guard isReady else { return .text(.serviceUnavailable, "Master is recovering; try again") }
        let frameworkID = call.frameworkID.value
        guard state.frameworks[frameworkID] != nil else {
            return .text(.badRequest, "Framework cannot be found: \(frameworkID)")
        }
        guard let currentStream = state.frameworks[frameworkID]?.streamID else {
            return .text(.forbidden, "Framework is not subscribed")
        }
        guard let streamID else {
            return .text(.badRequest, "All non-subscribe calls should include the 'Mesos-Stream-Id' header")
        }
        guard streamID == currentStream else {
            return .text(.badRequest, "The stream ID '\(streamID)' included in this request didn't match the stream ID currently associated with framework ID \(frameworkID)")
        }
        var failure: HTTPResponse?
        _ = step { state, now -> ((), [MasterAction]) in
            switch call.type {
            case .accept: return ((), state.accept(frameworkID: frameworkID, call.accept, now: now))
            case .decline: return ((), state.decline(frameworkID: frameworkID, call.decline, now: now))
            case .revive: return ((), state.revive(frameworkID: frameworkID, roles: call.revive.roles))
            case .suppress: return ((), state.suppress(frameworkID: frameworkID, roles: call.suppress.roles))
            case .kill: return ((), state.kill(frameworkID: frameworkID, call.kill, now: now))
            case .acknowledge: return ((), state.acknowledge(frameworkID: frameworkID, call.acknowledge, now: now))
            case .acknowledgeMany:
                return ((), state.acknowledge(frameworkID: frameworkID, call.acknowledgeMany.acknowledgements, now: now))
            case .reconcile: return ((), state.reconcile(frameworkID: frameworkID, call.reconcile, now: now))
            case .teardown: return ((), state.removeFramework(frameworkID, reason: "the framework tore itself down", now: now))
            case .request:
                switch state.request(frameworkID: frameworkID, call.request) {
                case .success(let actions): return ((), actions)
                case .failure(let problem):
                    failure = .text(.badRequest, "Failed to validate scheduler::Call: \(problem.message)")
                    return ((), [])
                }
            case .declineInverseOffers, .acceptInverseOffers, .shutdown, .message,
                 .acknowledgeOperationStatus, .reconcileOperations:
                return ((), [])
            case .updateFramework:
                failure = .text(.notImplemented, "UPDATE_FRAMEWORK is not supported yet")
                return ((), [])
            case .subscribe, .unknown:
                failure = .text(.notImplemented, "Unsupported call type")
                return ((), [])
            }
        }
        return failure ?? .accepted
    }
}

extension Array {
    /// Splits into the elements matching `predicate` and the rest, keeping their order.
    func partitioned(by predicate: (Element) -> Bool) -> ([Element], [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for element in self {
            if predicate(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}
