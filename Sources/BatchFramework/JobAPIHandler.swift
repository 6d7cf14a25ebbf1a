import BatchCore
import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation

/// The batch framework's HTTP routes: `POST /api/v1/batch` (a `fairway.v1.batch.Call`, protobuf or
/// JSON, answered in the format `Accept` asks for, JSON by default), the read-only shortcuts
/// `GET /jobs` and `GET /jobs/ID` (JSON), `GET /jobs/ID/map-outputs` (JSON `MapOutputsDocument`, polled
/// by reduces started before every map is done) and `/health`.
struct JobAPIHandler: HTTPHandler {
    let desk: any JobDesk

    func handle(_ request: HTTPRequest) async -> HTTPReply {
        let path = request.path
        switch path {
        case "/health":
            return .response(HTTPResponse(status: .ok))
        case "/api/v1/batch":
            return .response(await call(request))
        case "/jobs", "/jobs/":
            if let refusal = RequestChecks.methodRefusal(request, allowed: .GET) { return .response(refusal) }
            var response = Fairway_V1_Batch_Response()
            response.type = .list
            response.list.jobs = await desk.jobs(limit: Int(request.query["limit"] ?? "") ?? 100)
            return .response(.json(MesosJSON.encode(response.list)))
        default:
            guard path.hasPrefix("/jobs/") else {
                return .response(.text(.notFound, "No such endpoint \(path); the job API is POST /api/v1/batch, GET /jobs and GET /jobs/ID"))
            }
            if let refusal = RequestChecks.methodRefusal(request, allowed: .GET) { return .response(refusal) }
            let id = String(path.dropFirst("/jobs/".count))
            if id.hasSuffix("/map-outputs") {
                switch await desk.mapOutputs(String(id.dropLast("/map-outputs".count))) {
                case .success(let document): return .response(.json(Self.encode(document)))
                case .failure(let error): return .response(.text(error.status, error.message))
                }
            }
            switch await desk.job(id, includeTasks: request.query["tasks"] == "true") {
            case .success(let job): return .response(.json(MesosJSON.encode(job)))
            case .failure(let error): return .response(.text(error.status, error.message))
            }
        }
    }

    private func call(_ request: HTTPRequest) async -> HTTPResponse {
        let call: Fairway_V1_Batch_Call
        let responseFormat: MessageFormat
        switch RequestChecks.call(Fairway_V1_Batch_Call.self, from: request, name: "a fairway.v1.batch.Call") {
        case .failure(let rejection): return rejection.response
        case .success(let decoded): (call, responseFormat) = decoded
        }
        var response = Fairway_V1_Batch_Response()
        response.type = call.type
        switch call.type {
        case .submit:
            guard call.hasSubmit else { return Self.missing("submit") }
            switch await desk.submit(call.submit.spec) {
            case .success(let job): response.submit.job = job
            case .failure(let error): return .text(error.status, error.message)
            }
        case .get:
            guard call.hasGet else { return Self.missing("get") }
            switch await desk.job(call.get.jobID, includeTasks: call.get.includeTasks) {
            case .success(let job): response.get.job = job
            case .failure(let error): return .text(error.status, error.message)
            }
        case .list:
            response.list.jobs = await desk.jobs(limit: call.list.hasLimit ? Int(call.list.limit) : 100)
        case .kill:
            guard call.hasKill else { return Self.missing("kill") }
            switch await desk.kill(call.kill.jobID) {
            case .success(let job): response.kill.job = job
            case .failure(let error): return .text(error.status, error.message)
            }
        case .unknown:
            return .text(.badRequest, "Expecting 'type' to be one of SUBMIT, GET, LIST, KILL")
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": responseFormat.contentType], body: responseFormat.encode(response))
    }

    private static func encode(_ document: MapOutputsDocument) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(document)) ?? Data("{}".utf8))
    }

    private static func missing(_ field: String) -> HTTPResponse {
        .text(.badRequest, "Failed to validate fairway.v1.batch.Call: Expecting '\(field)' to be present")
    }
}
