import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import Logging
import NIOHTTP1

/// A call as the fake master received it, with the headers the SDK is responsible for.
struct RecordedCall: Sendable {
    var call: Fairway_V1_Scheduler_Call
    var streamID: String?
    var contentType: String?
    var accept: String?
}

/// A test double of a Mesos master's scheduler endpoint: it speaks the wire protocol (JSON and
/// protobuf, RecordIO over a chunked stream, `Mesos-Stream-Id`), records every call, and lets a
/// test push events, close streams and script error answers.
final class FakeMaster: Sendable {
    let state: FakeMasterState
    let server: HTTPServer

    var address: String { "127.0.0.1:\(server.port)" }

    private init(state: FakeMasterState, server: HTTPServer) {
        self.state = state
        self.server = server
    }

    static func start(port: Int = 0, heartbeatInterval: Double = 15) async throws -> FakeMaster {
        let state = FakeMasterState(heartbeatInterval: heartbeatInterval)
        let server = try await HTTPServer.start(host: "127.0.0.1", port: port, handler: FakeMasterHandler(state: state),
                                                logger: Logger(label: "test.fake-master"))
        return FakeMaster(state: state, server: server)
    }

    /// Closes every subscription and stops listening.
    func shutdown() async {
        await state.closeAllStreams()
        await server.shutdown()
    }
}

struct FakeMasterHandler: HTTPHandler {
    let state: FakeMasterState

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        guard request.method == .POST, request.path == "/api/v1/scheduler" else {
            return .response(.text(.notFound, "no route \(request.path)"))
        }
        guard let contentType = request.header("Content-Type"), let format = MessageFormat(rawValue: contentType) else {
            return .response(.text(.unsupportedMediaType, "unsupported Content-Type"))
        }
        let call: Fairway_V1_Scheduler_Call
        do {
            call = try format.decode(Fairway_V1_Scheduler_Call.self, from: request.body)
        } catch {
            return .response(.text(.badRequest, "Failed to parse scheduler::Call: \(error)"))
        }
        let recorded = RecordedCall(call: call, streamID: request.header("Mesos-Stream-Id"), contentType: contentType,
                                    accept: request.header("Accept"))
        return await state.handle(recorded)
    }
}

actor FakeMasterState {
    struct Subscription {
        let stream: HTTPStream
        let format: MessageFormat
        let streamID: String
        let frameworkID: Fairway_V1_FrameworkID
    }

    private(set) var calls: [RecordedCall] = []
    private(set) var subscriptions: [Subscription] = []
    /// Answers given to the next SUBSCRIBEs instead of a stream, first one first.
    var subscribeReplies: [HTTPResponse] = []
    /// Answers to calls of a type instead of 202.
    var callReplies: [Fairway_V1_Scheduler_Call.TypeEnum: HTTPResponse] = [:]
    var heartbeatInterval: Double
    private var frameworkCounter = 0

    init(heartbeatInterval: Double) {
        self.heartbeatInterval = heartbeatInterval
    }

    func script(subscribe replies: [HTTPResponse]) { subscribeReplies = replies }
    func script(_ type: Fairway_V1_Scheduler_Call.TypeEnum, reply: HTTPResponse) { callReplies[type] = reply }

    func calls(of type: Fairway_V1_Scheduler_Call.TypeEnum) -> [RecordedCall] { calls.filter { $0.call.type == type } }
    var subscribeCount: Int { calls(of: .subscribe).count }
    var openSubscriptions: Int { subscriptions.filter { !$0.stream.isClosed }.count }
    var latest: Subscription? { subscriptions.last }

    func handle(_ recorded: RecordedCall) -> HTTPReply {
        calls.append(recorded)
        let call = recorded.call
        guard call.type == .subscribe else {
            if call.type == .teardown, callReplies[.teardown] == nil {
                // As a real master does: the stream learns the framework is gone, then closes.
                send([FakeEvents.error("Framework removed: the framework tore itself down")])
                closeLatestStream()
            }
            return .response(callReplies[call.type] ?? .accepted)
        }
        if !subscribeReplies.isEmpty { return .response(subscribeReplies.removeFirst()) }
        let format = recorded.accept.flatMap(MessageFormat.init(rawValue:)) ?? .json
        var frameworkID = call.subscribe.frameworkInfo.id
        if !call.subscribe.frameworkInfo.hasID {
            frameworkCounter += 1
            frameworkID.value = "fw-\(frameworkCounter)"
        }
        let streamID = UUID().uuidString
        let subscribedID = frameworkID
        let head = HTTPResponse(status: .ok, headers: ["Content-Type": format.contentType, "Mesos-Stream-Id": streamID])
        return .stream(head) { stream in
            await self.attach(Subscription(stream: stream, format: format, streamID: streamID, frameworkID: subscribedID))
        }
    }

    private func attach(_ subscription: Subscription) {
        subscriptions.append(subscription)
        var event = Fairway_V1_Scheduler_Event()
        event.type = .subscribed
        event.subscribed.frameworkID = subscription.frameworkID
        event.subscribed.heartbeatIntervalSeconds = heartbeatInterval
        event.subscribed.masterInfo.id = "fake-master"
        event.subscribed.masterInfo.ip = 0x7F00_0001
        event.subscribed.masterInfo.port = 5050
        event.subscribed.masterInfo.version = "1.11.0"
        send([event])
    }

    /// Writes events to the latest subscription as RecordIO. With `chunkSizes`, the bytes of all
    /// events are cut into writes of those sizes in turn (records split across chunks, several per
    /// chunk); without, all events go in one write.
    func send(_ events: [Fairway_V1_Scheduler_Event], chunkSizes: [Int]? = nil) {
        guard let subscription = subscriptions.last else { return }
        let bytes = events.flatMap { RecordIO.encode(subscription.format.encode($0)) }
        guard let chunkSizes, !chunkSizes.isEmpty else {
            subscription.stream.write(bytes)
            return
        }
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let size = max(1, chunkSizes[turn % chunkSizes.count])
            let end = min(bytes.count, offset + size)
            subscription.stream.write(Array(bytes[offset..<end]))
            offset = end
            turn += 1
        }
    }

    /// Writes records given as raw bytes (hand-written JSON, say) to the latest subscription.
    func sendRaw(_ records: [String]) {
        subscriptions.last?.stream.write(records.flatMap { RecordIO.encode(Array($0.utf8)) })
    }

    func closeLatestStream() { subscriptions.last?.stream.close() }

    func closeAllStreams() {
        for subscription in subscriptions { subscription.stream.close() }
    }
}

/// Events as a master writes them.
enum FakeEvents {
    static func offer(_ id: String, agent: String = "agent-1", cpus: Double = 2, mem: Double = 1024) -> Fairway_V1_Offer {
        var offer = Fairway_V1_Offer()
        offer.id.value = id
        offer.frameworkID.value = "fw-1"
        offer.agentID.value = agent
        offer.hostname = "host-\(agent)"
        offer.resources = Resources(scalars: ["cpus": cpus, "mem": mem]).proto()
        return offer
    }

    static func offers(_ ids: [String]) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .offers
        event.offers.offers = ids.map { offer($0) }
        return event
    }

    static func rescind(_ id: String) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .rescind
        event.rescind.offerID.value = id
        return event
    }

    static func update(_ task: String, _ state: Fairway_V1_TaskState, uuid: [UInt8]? = nil) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .update
        event.update.status.taskID.value = task
        event.update.status.state = state
        event.update.status.agentID.value = "agent-1"
        if let uuid { event.update.status.uuid = Data(uuid) }
        return event
    }

    static var heartbeat: Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .heartbeat
        return event
    }

    static func error(_ message: String) -> Fairway_V1_Scheduler_Event {
        var event = Fairway_V1_Scheduler_Event()
        event.type = .error
        event.error.message = message
        return event
    }
}
