import Allocator
import FairwayCore
import FairwayHTTP
import FairwayProto
import Foundation
import NIOHTTP1
import XCTest
@testable import Master

/// The master service with its registry: weights and quotas survive a restart, the operator and
/// HTTP endpoints answer with Mesos's codes, and the fairness sampler writes history.
final class MasterPolicyServiceTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("master-policy-\(UUID().uuidString.prefix(8))")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func options(weights: [String: Double] = [:]) -> MasterOptions {
        var options = MasterOptions(workDir: directory.path)
        options.ip = "127.0.0.1"
        options.port = 0
        options.roleWeights = weights
        return options
    }

    private func call(_ json: String, to master: MasterService, accept: String = "application/json") async -> HTTPResponse {
        let request = HTTPRequest(method: .POST, uri: "/api/v1", headers: ["Content-Type": "application/json", "Accept": accept],
                                  body: Array(json.utf8))
        return await OperatorEndpoint(master: master).handle(request)
    }

    private func get(_ uri: String, from master: MasterService) async -> HTTPResponse {
        guard case .response(let response) = await MasterHTTPHandler(master: master).handle(HTTPRequest(method: .GET, uri: uri)) else {
            XCTFail("\(uri) answered with a stream")
            return HTTPResponse(status: .internalServerError)
        }
        return response
    }

    func testWeightsAndQuotasSurviveARestartAndPersistedWeightsBeatTheFlag() async throws {
        let master = try MasterService(options: options(weights: ["eng": 2, "ops": 3]))
        try await master.start()
        let weights = await call(#"{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":5}]}}"#, to: master)
        XCTAssertEqual(weights.status, .ok, String(decoding: weights.body, as: UTF8.self))
        let quota = await call(#"""
            {"type":"UPDATE_QUOTA","update_quota":{"force":true,"quota_configs":[
              {"role":"eng","guarantees":{"cpus":{"value":2}},"limits":{"cpus":{"value":4},"mem":{"value":4096}}}]}}
            """#, to: master)
        XCTAssertEqual(quota.status, .ok, String(decoding: quota.body, as: UTF8.self))
        XCTAssertTrue(quota.body.isEmpty, "Mesos answers UPDATE_QUOTA with an empty 200")
        await master.stop()

        let restarted = try MasterService(options: options(weights: ["eng": 2, "ops": 3]))
        try await restarted.start()
        let restartedState = await restarted.published()?.state
        let state = try XCTUnwrap(restartedState)
        XCTAssertEqual(state.allocator.weight(of: "eng"), 5, "the UPDATE_WEIGHTS value overrides --weights")
        XCTAssertEqual(state.allocator.weight(of: "ops"), 3, "the flag still applies where nothing was persisted")
        XCTAssertEqual(state.allocator.quota(of: "eng"), RoleQuota(guarantees: ["cpus": 2], limits: ["cpus": 4, "mem": 4096]))

        let status = await call(#"{"type":"GET_QUOTA"}"#, to: restarted)
        XCTAssertEqual(status.status, .ok)
        let response = try MesosJSON.decode(Fairway_V1_Master_Response.self, from: status.body)
        XCTAssertEqual(response.type, .getQuota)
        XCTAssertEqual(response.getQuota.status.configs.map(\.role), ["eng"])
        XCTAssertEqual(response.getQuota.status.configs.first?.guarantees["cpus"]?.value, 2)
        XCTAssertEqual(response.getQuota.status.infos.first?.guarantee.first?.name, "cpus")

        let removal = await call(#"{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"eng"}]}}"#, to: restarted)
        XCTAssertEqual(removal.status, .ok)
        await restarted.stop()
        let third = try MasterService(options: options())
        try await third.start()
        let thirdState = await third.published()?.state
        XCTAssertNil(thirdState?.allocator.quota(of: "eng"), "the removal is persisted too")
        XCTAssertEqual(thirdState?.allocator.weight(of: "eng"), 5)
        await third.stop()
    }

    func testReadsSeeEveryChangeMadeBeforeThem() async throws {
        let master = try MasterService(options: options())
        try await master.start()
        for weight in 1...5 {
            // Changes come faster than the publication interval: a read must still see each one.
            let reply = await call(#"{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":\#(weight)}]}}"#, to: master)
            XCTAssertEqual(reply.status, .ok)
            let weights = await call(#"{"type":"GET_WEIGHTS"}"#, to: master)
            let response = try MesosJSON.decode(Fairway_V1_Master_Response.self, from: weights.body)
            XCTAssertEqual(response.getWeights.weightInfos.first { $0.role == "eng" }?.weight, Double(weight))
        }
        await master.stop()
    }

    func testQuotaCallsInProtobuf() async throws {
        let master = try MasterService(options: options())
        try await master.start()
        var update = Fairway_V1_Master_Call()
        update.type = .updateQuota
        update.updateQuota.force = true
        update.updateQuota.quotaConfigs = [RoleQuota(guarantees: ["mem": 512], limits: ["mem": 1024]).config(role: "eng/batch")]
        let protobuf: HTTPHeaders = ["Content-Type": "application/x-protobuf", "Accept": "application/x-protobuf"]
        let reply = await OperatorEndpoint(master: master).handle(
            HTTPRequest(method: .POST, uri: "/api/v1", headers: protobuf, body: try update.serializedBytes()))
        XCTAssertEqual(reply.status, .ok)
        var get = Fairway_V1_Master_Call()
        get.type = .getQuota
        let status = await OperatorEndpoint(master: master).handle(
            HTTPRequest(method: .POST, uri: "/api/v1", headers: protobuf, body: try get.serializedBytes()))
        XCTAssertEqual(status.status, .ok)
        let response = try Fairway_V1_Master_Response(serializedBytes: status.body)
        XCTAssertEqual(response.type, .getQuota)
        XCTAssertEqual(response.getQuota.status.configs.first?.role, "eng/batch")
        XCTAssertEqual(response.getQuota.status.configs.first?.limits["mem"]?.value, 1024)
        await master.stop()
    }

    func testQuotaErrorsUseMesosCodes() async throws {
        let master = try MasterService(options: options())
        try await master.start()
        let conflict = await call(#"{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"eng","guarantees":{"cpus":{"value":1}}}]}}"#, to: master)
        XCTAssertEqual(conflict.status, .conflict, "an empty cluster cannot hold a guarantee")
        XCTAssertTrue(String(decoding: conflict.body, as: UTF8.self).contains("force"))
        let invalid = await call(#"{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"*","limits":{"cpus":{"value":1}}}]}}"#, to: master)
        XCTAssertEqual(invalid.status, .badRequest)
        let weight = await call(#"{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":0}]}}"#, to: master)
        XCTAssertEqual(weight.status, .badRequest)
        let roles = await call(#"{"type":"GET_ROLES"}"#, to: master)
        XCTAssertEqual(roles.status, .ok)
        await master.stop()
    }

    func testFairnessAndMetricsEndpoints() async throws {
        let master = try MasterService(options: options())
        try await master.start()
        let fairness = await get("/fairness", from: master)
        XCTAssertEqual(fairness.status, .ok)
        let decoded = try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: fairness.body)
        XCTAssertFalse(decoded.hasHistory)
        XCTAssertEqual(decoded.report.cluster.jainIndex, 1)

        let sampler = FairnessSampler(master: master, registry: master.registry, interval: 5, retention: 3600,
                                      logger: .init(label: "test"))
        let now = Date().timeIntervalSince1970
        let first = await sampler.sampleOnce(now: now - 60)
        let second = await sampler.sampleOnce(now: now - 30)
        XCTAssertNotNil(first)
        XCTAssertNotNil(second)
        let withHistory = await get("/fairness?since=5m", from: master)
        XCTAssertEqual(withHistory.status, .ok, String(decoding: withHistory.body, as: UTF8.self))
        let history = try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: withHistory.body).history
        XCTAssertEqual(history.samples.count, 2)
        let recent = await get("/fairness?since=45s", from: master)
        XCTAssertEqual(try MesosJSON.decode(Fairway_V1_Master_Response.GetFairness.self, from: recent.body).history.samples.count, 1)

        let bad = await get("/fairness?since=soon", from: master)
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).contains("since"))

        let operatorCall = await call(#"{"type":"GET_FAIRNESS","get_fairness":{"since":\#(now - 300)}}"#, to: master)
        XCTAssertEqual(operatorCall.status, .ok)
        let response = try MesosJSON.decode(Fairway_V1_Master_Response.self, from: operatorCall.body)
        XCTAssertEqual(response.type, .getFairness)
        XCTAssertEqual(response.getFairness.history.samples.count, 2)

        let metrics = await get("/metrics", from: master)
        XCTAssertEqual(metrics.status, .ok)
        XCTAssertEqual(metrics.headers.first(name: "Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertTrue(String(decoding: metrics.body, as: UTF8.self).contains("fairway_agents 0"))
        await master.stop()
    }
}
