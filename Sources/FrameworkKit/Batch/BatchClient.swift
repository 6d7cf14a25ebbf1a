import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import NIOCore
import NIOHTTP1

/// A client of the batch framework's job API (`POST /api/v1/batch`, protobuf): what
/// `fairway job …` and tests use to submit, follow and kill jobs.
public struct BatchClient: Sendable {
    /// The batch framework as `host:port`.
    public let address: String
    public var timeout: TimeAmount = .seconds(30)

    /// Where `fairway dev` runs the batch framework.
    public static let defaultAddress = "127.0.0.1:5052"

    public init(address: String) {
        self.address = MasterAddress.normalize(address) ?? address
    }

    public func submit(_ spec: Fairway_V1_Batch_JobSpec) async throws -> Fairway_V1_Batch_Job {
        var call = Fairway_V1_Batch_Call()
        call.type = .submit
        call.submit.spec = spec
        return try await send(call).submit.job
    }

    public func job(_ id: String, includeTasks: Bool = false) async throws -> Fairway_V1_Batch_Job {
        var call = Fairway_V1_Batch_Call()
        call.type = .get
        call.get.jobID = id
        call.get.includeTasks = includeTasks
        return try await send(call).get.job
    }

    public func jobs(limit: Int = 100) async throws -> [Fairway_V1_Batch_Job] {
        var call = Fairway_V1_Batch_Call()
        call.type = .list
        call.list.limit = UInt32(clamping: limit)
        return try await send(call).list.jobs
    }

    public func kill(_ id: String) async throws -> Fairway_V1_Batch_Job {
        var call = Fairway_V1_Batch_Call()
        call.type = .kill
        call.kill.jobID = id
        return try await send(call).kill.job
    }

    private func send(_ call: Fairway_V1_Batch_Call) async throws -> Fairway_V1_Batch_Response {
        let url = "http://\(address)/api/v1/batch"
        let result: HTTPCallResult
        do {
            result = try await HTTPCalls.post(url, body: MessageFormat.protobuf.encode(call),
                                              headers: ["Content-Type": MessageFormat.protobuf.contentType,
                                                        "Accept": MessageFormat.protobuf.contentType],
                                              timeout: timeout)
        } catch {
            throw InspectionError("cannot reach the batch framework at \(address) (\(error)); is `fairway batch` (or `fairway dev`) running? Use --batch HOST:PORT for another")
        }
        guard result.status == .ok else {
            throw InspectionError("the batch framework refused the call (\(result.status.code)): \(result.text)")
        }
        do {
            return try MessageFormat.protobuf.decode(Fairway_V1_Batch_Response.self, from: result.body)
        } catch {
            throw InspectionError("the batch framework at \(address) sent a response that is not a fairway.v1.batch.Response: \(error.message)")
        }
    }
}
