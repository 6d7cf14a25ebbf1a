import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import NIOHTTP1

/// `POST /api/v1/scheduler`: the Mesos v1 scheduler API, JSON or protobuf, with Mesos's reply codes.
struct SchedulerEndpoint {
    let master: MasterService

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        let format: MessageFormat
        switch RequestChecks.postBody(request) {
        case .failure(let rejection): return .response(rejection.response)
        case .success(let value): format = value
        }
        let call: Fairway_V1_Scheduler_Call
        do {
            call = try format.decode(Fairway_V1_Scheduler_Call.self, from: request.body)
        } catch {
            return .response(.text(.badRequest, "Failed to parse body into Call protobuf: \(error.message)"))
        }
        if let problem = SchedulerCallValidation.problem(with: call) {
            return .response(.text(.badRequest, "Failed to validate scheduler::Call: \(problem)"))
        }
        if call.type == .subscribe { return await subscribe(call, request: request, format: format) }
        return .response(await master.schedulerCall(call, streamID: request.header("Mesos-Stream-Id")))
    }

    private func subscribe(_ call: Fairway_V1_Scheduler_Call, request: HTTPRequest, format: MessageFormat) async -> HTTPReply {
        if request.header("Mesos-Stream-Id") != nil {
            return .response(.text(.badRequest, "Subscribe calls should not include the 'Mesos-Stream-Id' header"))
        }
        guard let responseFormat = RequestChecks.acceptedFormat(request) else {
            return .response(.text(.notAcceptable, "Expecting 'Accept' to allow application/json or application/x-protobuf"))
        }
        let streamID = UUID().uuidString.lowercased()
        let sink = EventSink(streamID: streamID, format: responseFormat)
        let outcome = await master.subscribe(call.subscribe, sink: sink)
        var head = HTTPResponse(status: .ok)
        head.headers.add(name: "Content-Type", value: responseFormat.contentType)
        head.headers.add(name: "Mesos-Stream-Id", value: streamID)
        head.headers.add(name: "Cache-Control", value: "no-cache")
        let master = self.master
        switch outcome {
        case .none:
            return .response(.text(.serviceUnavailable, "Master is recovering; try again"))
        case .some(.refused(let message)):
            sink.send(Fairway_V1_Scheduler_Event.error(message))
            sink.close()
            return .stream(head) { stream in sink.attach(stream) }
        case .some(.subscribed(let frameworkID, _)):
            return .stream(head) { stream in
                sink.attach(stream)
                await stream.waitUntilClosed()
                await master.frameworkStreamClosed(frameworkID: frameworkID, streamID: streamID)
            }
        }
    }
}

/// Mesos's structural checks on a scheduler call: the payload named by `type` must be present.
enum SchedulerCallValidation {
    static func problem(with call: Fairway_V1_Scheduler_Call) -> String? {
        guard call.hasType else { return "Expecting 'type' to be present" }
        if call.type == .subscribe {
            guard call.hasSubscribe else { return "Expecting 'subscribe' to be present" }
            let info = call.subscribe.frameworkInfo
            if call.hasFrameworkID && (!info.hasID || info.id.value != call.frameworkID.value) {
                return "'framework_id' differs from 'subscribe.framework_info.id'"
            }
            return nil
        }
        guard call.hasFrameworkID else { return "Expecting 'framework_id' to be present" }
        switch call.type {
        case .accept where !call.hasAccept: return "Expecting 'accept' to be present"
        case .decline where !call.hasDecline: return "Expecting 'decline' to be present"
        case .kill where !call.hasKill: return "Expecting 'kill' to be present"
        case .shutdown where !call.hasShutdown: return "Expecting 'shutdown' to be present"
        case .acknowledge where !call.hasAcknowledge: return "Expecting 'acknowledge' to be present"
        case .acknowledge where call.acknowledge.uuid.count != 16: return "Not a valid UUID"
        case .acknowledgeMany where !call.hasAcknowledgeMany: return "Expecting 'acknowledge_many' to be present"
        case .acknowledgeMany where call.acknowledgeMany.acknowledgements.contains { $0.uuid.count != 16 }:
            return "Not a valid UUID in 'acknowledge_many'"
        case .reconcile where !call.hasReconcile: return "Expecting 'reconcile' to be present"
        case .message where !call.hasMessage: return "Expecting 'message' to be present"
        case .request where !call.hasRequest: return "Expecting 'request' to be present"
        case .updateFramework where !call.hasUpdateFramework: return "Expecting 'update_framework' to be present"
        default: return nil
        }
    }
}
