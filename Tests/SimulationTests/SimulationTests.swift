import Allocator
import FairwayCore
import Simulation
import XCTest

/// `fairway sim` end to end on its virtual clock: the real master state machine and allocator
/// with simulated agents and frameworks. No wall clock is asserted.
final class SimulationTests: XCTestCase {
    /// 4 agents of 8 cpus: 32 one-cpu tasks fill the cluster, so one task is 1/32 of the cpus.
    private func configuration(frameworks: Int = 2, roles: Int = 1, seconds: Double = 600, seed: UInt64 = 7,
                               demand: SimulationConfiguration.DemandDeclaration = .none) -> SimulationConfiguration {
        SimulationConfiguration(
            agents: 4, frameworks: frameworks, roles: roles, seconds: seconds, seed: seed, sampleInterval: 5,
            agentResources: Resources(scalars: ["cpus": 8, "mem": 32768]),
            shapes: [Resources(scalars: ["cpus": 1, "mem": 1024])], taskDuration: 5...20,
            demandDeclaration: demand)
    }

    private let oneTask = 1.0 / 32

    func testTheSameSeedGivesTheSameHistory() throws {
        var config = configuration(frameworks: 3, roles: 2, seconds: 120, demand: .even)
        config.shapes = SimulationConfiguration.defaultShapes
        config.agentResources = Resources(scalars: ["cpus": 16, "mem": 65536])
        var first = try Simulation(configuration: config)
        var second = try Simulation(configuration: config)
        let a = first.run()
        let b = second.run()
        XCTAssertEqual(a.samples.count, 25)
        XCTAssertGreaterThan(a.tasksCompleted, 0)
        XCTAssertEqual(a.withoutTimings, b.withoutTimings)

        config.seed += 1
        var other = try Simulation(configuration: config)
        XCTAssertNotEqual(other.run().withoutTimings, a.withoutTimings, "another seed should draw other shapes and durations")
    }

    func testTwoEqualFrameworksEndWithinATaskOfEachOther() throws {
        for demand in [SimulationConfiguration.DemandDeclaration.none, .all] {
            var simulation = try Simulation(configuration: configuration(demand: demand))
            let report = simulation.run()
            let (a, b) = (report.frameworks[0], report.frameworks[1])
            XCTAssertEqual(a.dominantShare, b.dominantShare, accuracy: oneTask + 1e-9, "final shares with demand \(demand)")
            XCTAssertEqual(a.meanShare, b.meanShare, accuracy: oneTask / 2, "mean shares with demand \(demand)")
            XCTAssertGreaterThan(a.meanShare + b.meanShare, 0.9, "the two should keep the cluster busy")
            XCTAssertEqual(report.refused, 0)
        }
    }

    func testARoleOfWeightTwoEndsWithAboutTwiceTheShare() throws {
        var config = configuration(frameworks: 2, roles: 2)
        config.weights = ["role-1": 2]
        var simulation = try Simulation(configuration: config)
        let report = simulation.run()
        let heavy = try XCTUnwrap(report.roles.first { $0.name == "role-1" })
        let light = try XCTUnwrap(report.roles.first { $0.name == "role-2" })
        XCTAssertEqual(heavy.weight, 2)
        XCTAssertEqual(heavy.meanShare / light.meanShare, 2, accuracy: 0.3, "mean shares \(heavy.meanShare) and \(light.meanShare)")
        XCTAssertEqual(heavy.dominantShare, 2.0 / 3, accuracy: 2 * oneTask)
        XCTAssertEqual(report.frameworks[0].idealShare, 2.0 / 3, accuracy: 1e-6, "the fairness view's ideal split")
    }

    func testAQuotaGuaranteeIsHonouredAndTheRestIsShared() throws {
        var config = configuration(frameworks: 2, roles: 2)
        config.quotas = ["role-2": RoleQuota(guarantees: ["cpus": 24])]
        var simulation = try Simulation(configuration: config)
        let report = simulation.run()
        let guaranteed = try XCTUnwrap(report.roles.first { $0.name == "role-2" })
        let other = try XCTUnwrap(report.roles.first { $0.name == "role-1" })
        XCTAssertEqual(guaranteed.quotaGuarantees, ["cpus": 24])
        XCTAssertGreaterThanOrEqual(guaranteed.meanShare, 0.75 - oneTask, "role-2 is guaranteed 24 of 32 cpus")
        XCTAssertGreaterThanOrEqual(other.meanShare, 0.25 - 2 * oneTask, "role-1 gets what the guarantee leaves")
        XCTAssertEqual(report.meanUtilisation["cpus"] ?? 0, 1, accuracy: 2 * oneTask, "no cpu idles")
    }

    func testFrameworksThatDeclareDemandGetOffersTheyCanUse() throws {
        var config = configuration(frameworks: 4, demand: .even)
        config.shapes = SimulationConfiguration.defaultShapes
        config.agentResources = Resources(scalars: ["cpus": 16, "mem": 65536])
        var simulation = try Simulation(configuration: config)
        let report = simulation.run()
        for framework in report.frameworks where framework.declaresDemand {
            XCTAssertGreaterThan(framework.tasksLaunched, 0, framework.name)
            XCTAssertEqual(framework.offersDeclined, 0, "\(framework.name)'s offers are sized to its declared tasks")
        }
        XCTAssertEqual(report.frameworks.filter(\.declaresDemand).map(\.name), ["fw-2", "fw-4"])
    }

    func testEveryTaskOfAFiniteBacklogCompletes() throws {
        var config = configuration(frameworks: 3, seconds: 400, demand: .even)
        config.backlog = 40
        var simulation = try Simulation(configuration: config)
        let report = simulation.run()
        XCTAssertEqual(report.tasksLaunched, 120)
        XCTAssertEqual(report.tasksCompleted, 120)
        for framework in report.frameworks {
            XCTAssertEqual(framework.tasksFinished, 40, framework.name)
            XCTAssertEqual(framework.tasksFailed, 0, framework.name)
            XCTAssertEqual(framework.tasksRunning, 0, framework.name)
        }
        XCTAssertEqual(report.utilisation["cpus"] ?? 1, 0, accuracy: 1e-9, "nothing runs once the work is done")
        XCTAssertGreaterThan(report.allocationPasses, 0)
    }

    func testAQuotaThatDoesNotFitTheClusterIsRefused() {
        var config = configuration()
        config.quotas = ["role-1": RoleQuota(guarantees: ["cpus": 100])]
        XCTAssertThrowsError(try Simulation(configuration: config)) { error in
            XCTAssertTrue("\(error)".contains("quota"), "\(error)")
        }
    }

    func testABadConfigurationNamesTheSettingToFix() {
        var config = configuration()
        config.shapes = [Resources(scalars: ["cpus": 64])]
        XCTAssertThrowsError(try Simulation(configuration: config)) { error in
            XCTAssertTrue("\(error)".contains("does not fit on an agent"), "\(error)")
        }
    }

    func testTheTextReportShowsHistoryAndLatency() throws {
        var simulation = try Simulation(configuration: configuration(seconds: 30))
        let text = simulation.run().text()
        XCTAssertTrue(text.contains("fw-1"))
        XCTAssertTrue(text.contains("JAIN"))
        XCTAssertTrue(text.contains("30s"), text)
        XCTAssertTrue(text.contains("Allocation pass latency (wall clock): p50"), text)
    }
}
