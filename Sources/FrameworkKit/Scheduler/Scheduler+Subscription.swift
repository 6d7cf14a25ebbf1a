import FairwayCore
import FairwayHTTP
import FairwayProto
import Logging
import NIOHTTP1

/// The master sent an ERROR event; the stream is closed on purpose.
struct ErrorEventReceived: Error {}

/// A record on the event stream that is not a valid event.
struct UndecodableEvent: Error, CustomStringConvertible {
    var description: String
}

extension Scheduler {
    /// The connection loop: subscribe, stream events until the subscription ends, decide with the
    /// reconnect policy, wait, and again, until stopped or told to give up.
    func run() async {
        while true {
            var end: SubscriptionEnd = .stopped
            if !finishing && !Task.isCancelled { end = await subscribeOnce() }
            if finishing || Task.isCancelled { end = .stopped }
            switch policy.next(after: end, random: Double.random(in: 0..<1)) {
            case .finish(let error):
                if let error {
                    logger.error("giving up on the subscription", metadata: ["reason": "\(error)"])
                    continuation.yield(.error(error))
                }
                finish()
                return
            case .retry(let next, let delay, let notice):
                master = next
                if let notice {
                    logger.warning("subscription lost", metadata: ["reason": "\(notice)"])
                    continuation.yield(.disconnected(notice))
                }
                if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
            }
        }
    }

    /// One SUBSCRIBE: streams events until the stream ends, fails, or goes silent for too long.
    private func subscribeOnce() async -> SubscriptionEnd {
        let format = configuration.format
        let body = format.encode(SchedulerCalls.subscribe(frameworkInfo, suppressedRoles: configuration.suppressedRoles))
        let headers: HTTPHeaders = ["Content-Type": format.contentType, "Accept": format.contentType]
        let url = "http://\(master)/api/v1/scheduler"
        attemptOpened = false
        openingStreamID = nil
        lastActivity = .now
        heartbeatInterval = 15
        logger.debug("subscribing", metadata: ["master": "\(master)", "framework": "\(frameworkInfo.id.value)"])

        let end = await withTaskGroup(of: SubscriptionEnd.self) { group in
            group.addTask {
                do {
                    let answer = try await HTTPCalls.stream(
                        url, body: body, headers: headers, client: SchedulerHTTP.client,
                        onOpen: { answerHeaders in await self.opened(answerHeaders) },
                        onRecord: { record in try await self.received(record) })
                    guard let answer else { return .closed(message: "the master closed the event stream") }
                    return Self.classify(answer)
                } catch is ErrorEventReceived {
                    return .errorEvent
                } catch {
                    return await self.failed(error)
                }
            }
            group.addTask { await self.watchHeartbeats() }
            let first = await group.next() ?? .stopped
            group.cancelAll()
            return first
        }
        streamID = nil
        openingStreamID = nil
        return end
    }

    private func opened(_ headers: HTTPHeaders) {
        attemptOpened = true
        lastActivity = .now
        openingStreamID = headers.first(name: "Mesos-Stream-Id")
        if openingStreamID == nil {
            logger.warning("the master's subscription answer has no Mesos-Stream-Id; calls will be rejected")
        }
    }

    private func failed(_ error: Error) -> SubscriptionEnd {
        let message = TransportErrors.describe(error)
        return attemptOpened ? .closed(message: message) : .unreachable(message: message)
    }

    private static func classify(_ answer: HTTPCallResult) -> SubscriptionEnd {
        let message = answer.text.isEmpty ? answer.status.reasonPhrase : answer.text
        switch answer.status.code {
        case 307, 308: return .redirected(location: answer.headers.first(name: "Location"))
        case 503: return .unavailable(message: message)
        default: return .rejected(status: Int(answer.status.code), message: message)
        }
    }

    /// Returns when nothing has arrived for `heartbeatTimeoutIntervals` heartbeat intervals. Wakes
    /// at least every second, so a heartbeat interval learnt from SUBSCRIBED takes effect promptly.
    private func watchHeartbeats() async -> SubscriptionEnd {
        while true {
            let timeout = heartbeatInterval * configuration.heartbeatTimeoutIntervals
            let deadline = lastActivity.advanced(by: .seconds(timeout))
            let now = ContinuousClock.now
            if now >= deadline { return .heartbeatTimeout(seconds: timeout) }
            do {
                try await Task.sleep(until: min(deadline, now.advanced(by: .seconds(1))), clock: .continuous)
            } catch {
                return .stopped
            }
        }
    }

    /// Handles one record of the event stream: updates the session, delivers the event, and queues
    /// its acknowledgement.
    private func received(_ record: [UInt8]) throws {
        lastActivity = .now
        let event: Fairway_V1_Scheduler_Event
        do {
            event = try EventDecoding.decode(record, format: configuration.format)
        } catch {
            throw UndecodableEvent(description: "the master sent an undecodable event: \(error)")
        }
        switch event.type {
        case .subscribed:
            let id = event.subscribed.frameworkID
            frameworkID = id
            frameworkInfo.id = id
            streamID = openingStreamID
            let interval = event.subscribed.heartbeatIntervalSeconds
            heartbeatInterval = event.subscribed.hasHeartbeatIntervalSeconds && interval > 0 ? interval : 15
            policy.subscribed()
            logger.info("subscribed", metadata: ["framework": "\(id.value)", "master": "\(master)"])
        case .error where tearingDown:
            logger.debug("framework torn down", metadata: ["message": "\(event.error.message)"])
            finishing = true
            throw ErrorEventReceived()
        case .error:
            logger.error("the master sent an error", metadata: ["message": "\(event.error.message)"])
        default:
            break
        }
        if let delivered = SchedulerEvent(event) {
            continuation.yield(delivered)
        } else {
            logger.debug("ignoring event", metadata: ["type": "\(event.type)"])
        }
        if event.type == .update && configuration.implicitAcknowledgements {
            enqueueAcknowledgement(event.update.status)
        }
        if event.type == .error {
            finishing = true
            throw ErrorEventReceived()
        }
    }
}
