import Allocator
import FairwayCore
import FairwayProto
import XCTest
@testable import Master

/// UPDATE_QUOTA and GET_QUOTA on the pure state machine: Mesos's validation, all-or-none, the fit
/// check that `force` skips, removal, and roles with a quota showing in GET_ROLES.
final class QuotaUpdateTests: XCTestCase {
    private func cluster(_ resources: String = "cpus:8;mem:16384;ports:[31000-32000]") -> MasterState {
        var state = Fixtures.masterState()
        _ = state.addAgent(Fixtures.register(resources: resources), stream: "a1", now: 1000)
        return state
    }

    private func config(_ role: String, guarantees: [String: Double] = [:], limits: [String: Double] = [:]) -> Fairway_V1_Quota_QuotaConfig {
        RoleQuota(guarantees: guarantees, limits: limits).config(role: role)
    }

    private func update(_ configs: [Fairway_V1_Quota_QuotaConfig], force: Bool = false) -> Fairway_V1_Master_Call.UpdateQuota {
        var update = Fairway_V1_Master_Call.UpdateQuota()
        update.quotaConfigs = configs
        if force { update.force = true }
        return update
    }

    private func problem(_ result: Result<[MasterAction], PolicyProblem>) -> PolicyProblem? {
        if case .failure(let problem) = result { return problem }
        return nil
    }

    func testValidQuotaIsAppliedPersistedAndReported() throws {
        var state = cluster()
        let result = state.updateQuota(update([config("eng", guarantees: ["cpus": 2, "mem": 1024], limits: ["cpus": 4])]))
        let actions = try result.get()
        XCTAssertEqual(state.allocator.quota(of: "eng"), RoleQuota(guarantees: ["cpus": 2, "mem": 1024], limits: ["cpus": 4]))
        XCTAssertEqual(actions.count, 1)
        guard case .persist(.setQuota(let persisted)) = actions.first else { return XCTFail("expected the quota to be persisted: \(actions)") }
        XCTAssertEqual(persisted.role, "eng")
        XCTAssertEqual(persisted.guarantees["cpus"]?.value, 2)

        let status = state.quotaStatus
        XCTAssertEqual(status.configs.map(\.role), ["eng"])
        XCTAssertEqual(status.configs.first?.limits["cpus"]?.value, 4)
        XCTAssertEqual(status.infos.first?.role, "eng")
        XCTAssertEqual(status.infos.first?.guarantee.map(\.name), ["cpus", "mem"])
        XCTAssertEqual(OperatorViews.roles(state).map(\.name), ["eng"], "a role with only a quota is listed by GET_ROLES")
    }

    func testInvalidConfigsAreRefusedWithAMessageNamingRoleAndProblem() {
        let cases: [(Fairway_V1_Quota_QuotaConfig, String)] = [
            (config("*", guarantees: ["cpus": 1]), "'*'"),
            (config("", guarantees: ["cpus": 1]), "role"),
            (config("eng//web", guarantees: ["cpus": 1]), "eng//web"),
            (config("eng", guarantees: ["cpus": -1]), "cpus"),
            (config("eng", limits: ["mem": .infinity]), "mem"),
            (config("eng", guarantees: ["cpus": .nan]), "cpus"),
            (config("eng", guarantees: ["cpus": 3], limits: ["cpus": 2]), "above its limit"),
            (config("eng", guarantees: ["ports": 10]), "not a scalar"),
            (config("eng", guarantees: ["c p u": 1]), "not a valid resource name"),
        ]
        for (config, expected) in cases {
            var state = cluster()
            let problem = problem(state.updateQuota(update([config])))
            XCTAssertEqual(problem?.kind, .invalid, "\(config)")
            XCTAssertTrue(problem?.message.contains(expected) == true, "\(problem?.message ?? "no problem") should mention \(expected)")
            if !config.role.isEmpty && config.role != "*" {
                XCTAssertTrue(problem?.message.contains("'\(config.role)'") == true, "names the role: \(problem?.message ?? "")")
            }
            XCTAssertTrue(state.allocator.roleQuotas.isEmpty)
        }
    }

    func testOneInvalidConfigMeansNoneIsApplied() {
        var state = cluster()
        let problem = problem(state.updateQuota(update([
            config("eng", guarantees: ["cpus": 1]),
            config("ops", guarantees: ["cpus": -2]),
        ])))
        XCTAssertEqual(problem?.kind, .invalid)
        XCTAssertTrue(problem?.message.contains("'ops'") == true, problem?.message ?? "")
        XCTAssertNil(state.allocator.quota(of: "eng"), "the valid config is not applied either")
    }

    func testDuplicateRoleIsRefused() {
        var state = cluster()
        let problem = problem(state.updateQuota(update([config("eng", guarantees: ["cpus": 1]), config("eng", limits: ["cpus": 2])])))
        XCTAssertEqual(problem?.kind, .invalid)
        XCTAssertTrue(problem?.message.contains("more than once") == true, problem?.message ?? "")
    }

    func testGuaranteesBeyondTheClusterConflictUnlessForced() throws {
        var state = cluster()
        _ = try state.updateQuota(update([config("eng", guarantees: ["cpus": 5])])).get()
        let problem = problem(state.updateQuota(update([config("ops", guarantees: ["cpus": 4])])))
        XCTAssertEqual(problem?.kind, .conflict)
        XCTAssertTrue(problem?.message.contains("cpus") == true && problem?.message.contains("force") == true, problem?.message ?? "")
        XCTAssertNil(state.allocator.quota(of: "ops"))

        _ = try state.updateQuota(update([config("ops", guarantees: ["cpus": 4])], force: true)).get()
        XCTAssertEqual(state.allocator.quota(of: "ops")?.guarantees["cpus"], 4, "force skips the capacity check")
    }

    func testReplacingARoleQuotaCountsOnlyTheNewGuarantee() throws {
        var state = cluster()
        _ = try state.updateQuota(update([config("eng", guarantees: ["cpus": 6])])).get()
        _ = try state.updateQuota(update([config("eng", guarantees: ["cpus": 8])])).get()
        XCTAssertEqual(state.allocator.quota(of: "eng")?.guarantees["cpus"], 8)
    }

    func testNestedGuaranteesAreNotCountedTwice() throws {
        var state = cluster()
        _ = try state.updateQuota(update([
            config("eng", guarantees: ["cpus": 6]),
            config("eng/batch", guarantees: ["cpus": 4]),
            config("eng/web", guarantees: ["cpus": 2]),
            config("ops", guarantees: ["cpus": 2]),
        ])).get()
        XCTAssertEqual(state.allocator.roleQuotas.count, 4)
        let problem = problem(state.updateQuota(update([config("eng/web", guarantees: ["cpus": 3])])))
        XCTAssertEqual(problem?.kind, .conflict, "eng's children now need 7 > its 6, so 7 + 2 > 8")
    }

    func testGuaranteeOnAResourceTheClusterLacksConflicts() {
        var state = cluster()
        let problem = problem(state.updateQuota(update([config("eng", guarantees: ["gpus": 1])])))
        XCTAssertEqual(problem?.kind, .conflict)
        XCTAssertTrue(problem?.message.contains("gpus") == true, problem?.message ?? "")
    }

    func testEmptyConfigRemovesTheQuota() throws {
        var state = cluster()
        _ = try state.updateQuota(update([config("eng", guarantees: ["cpus": 1], limits: ["cpus": 2])])).get()
        let actions = try state.updateQuota(update([config("eng")])).get()
        XCTAssertNil(state.allocator.quota(of: "eng"))
        guard case .persist(.removeQuota(let role)) = actions.first else { return XCTFail("expected removal: \(actions)") }
        XCTAssertEqual(role, "eng")
        XCTAssertTrue(state.quotaStatus.configs.isEmpty)
    }

    func testWeightsAreValidatedAppliedAndPersisted() throws {
        var state = cluster()
        var bad = Fairway_V1_WeightInfo()
        bad.role = "eng"
        bad.weight = -1
        var good = Fairway_V1_WeightInfo()
        good.role = "ops"
        good.weight = 2
        XCTAssertEqual(problem(state.updateWeights([good, bad]))?.kind, .invalid)
        XCTAssertEqual(state.allocator.weight(of: "ops"), 1, "nothing applied when one weight is invalid")
        let actions = try state.updateWeights([good]).get()
        XCTAssertEqual(state.allocator.weight(of: "ops"), 2)
        guard case .persist(.setWeight(let role, let weight)) = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(role, "ops")
        XCTAssertEqual(weight, 2)
    }
}
