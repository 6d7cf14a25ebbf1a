import Allocator
import FairwayCore
import XCTest

/// A role of weight 2 is entitled to twice the dominant share of a role of weight 1.
final class WeightTests: XCTestCase {
    private func offersPerFramework(weights: [String: Double], setAtRuntime: Bool = false) -> [String: Int] {
        var allocator = DRFAllocator(configuration: AllocatorConfiguration(roleWeights: setAtRuntime ? [:] : weights))
        if setAtRuntime {
            for (role, weight) in weights { allocator.setWeight(role: role, weight: weight) }
        }
        for index in 0..<30 { allocator.addAgent(String(format: "agent-%02d", index), total: res("cpus:1;mem:1024")) }
        // The heavier role's name sorts last, so ties never favour it.
        allocator.addFramework("light-fw", roles: ["a-light"])
        allocator.addFramework("heavy-fw", roles: ["b-heavy"])
        let offers = allocator.allocate(now: 0)
        XCTAssertEqual(offers.count, 30, "every agent is offered")
        return ["light": offers.to("light-fw").count, "heavy": offers.to("heavy-fw").count]
    }

    func testWeightTwoRoleGetsTwiceAsMuchAsWeightOneRole() {
        let counts = offersPerFramework(weights: ["b-heavy": 2, "a-light": 1])
        let heavy = counts["heavy"] ?? 0
        let light = counts["light"] ?? 0
        XCTAssertLessThanOrEqual(abs(heavy - 20), 1, "heavy got \(heavy) of 30 agents, light \(light)")
        XCTAssertLessThanOrEqual(abs(light - 10), 1, "heavy got \(heavy) of 30 agents, light \(light)")
    }

    func testWeightsSetAtRuntimeApplyToTheNextPass() {
        let counts = offersPerFramework(weights: ["b-heavy": 2], setAtRuntime: true)
        XCTAssertLessThanOrEqual(abs((counts["heavy"] ?? 0) - 20), 1, "\(counts)")
    }

    func testEqualWeightsSplitEvenly() {
        let counts = offersPerFramework(weights: [:])
        XCTAssertEqual(counts["heavy"], 15)
        XCTAssertEqual(counts["light"], 15)
    }

    func testWeightDefaultsToOneAndRolesAreListed() {
        var allocator = DRFAllocator(configuration: AllocatorConfiguration(roleWeights: ["ops": 3]))
        allocator.addFramework("f", roles: ["web"])
        XCTAssertEqual(allocator.weight(of: "web"), 1)
        XCTAssertEqual(allocator.weight(of: "ops"), 3)
        allocator.setWeight(role: "web", weight: 0)
        XCTAssertEqual(allocator.weight(of: "web"), 1, "a non-positive weight is ignored")
        XCTAssertEqual(allocator.roles, ["ops", "web"])
    }
}
