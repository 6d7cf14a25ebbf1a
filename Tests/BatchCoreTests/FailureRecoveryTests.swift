import BatchCore
import Foundation
import XCTest

/// Agents dying and the framework restarting: jobs still complete, nothing runs twice for good.
final class FailureRecoveryTests: XCTestCase {
    func testAttemptsOnALostAgentAreRetriedElsewhereWithoutCountingAsFailures() {
        var driver = Driver()
        driver.submit("j1", arrayJob(2, maxAttempts: 1))
        driver.offers([offer("o1", agent: "a1", cpus: 2)])
        let actions = driver.agentLost("a1")
        XCTAssertEqual(actions.first, .jobChanged("j1"))
        XCTAssertTrue(actions.finished.isEmpty, "lost attempts do not use up maxAttempts = 1")
        XCTAssertEqual(driver.planner.job("j1")?.phases[0].tasks[0].attempts[0].state, .lost)
        XCTAssertEqual(driver.planner.job("j1")?.phases[0].tasks[0].attempts[0].lastMessage, "agent a1 was lost")
        let retry = driver.offers([offer("o2", agent: "a2", cpus: 2)])
        XCTAssertEqual(retry.plans.map(\.attemptID), ["j1.t00000.a2", "j1.t00001.a2"])
        driver.finish("j1.t00000.a2")
        XCTAssertEqual(driver.finish("j1.t00001.a2").finished.first?.state, .succeeded)
        XCTAssertEqual(driver.planner.job("j1")?.counters.attemptsLost, 2)
    }

    func testFinishedMapsOnALostAgentAreRedoneWhileReducesStillNeedThem() {
        var driver = Driver()
        // Slowstart 1: reduces wait for every map, so the redone maps are the only work until they are done.
        driver.submit("j1", mapReduceJob(reducers: 2, slowstart: 1), splits: splits(4))
        driver.offers([offer("o1", agent: "a1", cpus: 2), offer("o2", agent: "a2", cpus: 2)])
        for map in 0..<4 { driver.finish("j1.m0000\(map).a1") }
        let reduces = driver.offers([offer("o3", agent: "a2", cpus: 1), offer("o4", agent: "a3", cpus: 1)]).plans
        XCTAssertEqual(reduces.map(\.attemptID), ["j1.r00000.a1", "j1.r00001.a1"])
        driver.finish("j1.r00000.a1")

        // a1 held maps 0 and 1; reduce 1 (on a3) still needs them.
        let lost = driver.agentLost("a1")
        XCTAssertEqual(lost.kills, ["j1.r00001.a1"], "a reduce that cannot fetch from a1 is stopped")
        let job = driver.planner.job("j1")
        XCTAssertEqual(job?.phases[0].tasks.map(\.state), [.waiting, .waiting, .succeeded, .succeeded])
        XCTAssertEqual(job?.phases[1].tasks.map(\.state), [.succeeded, .waiting])
        XCTAssertEqual(lost.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 2)], "two maps to redo")
        XCTAssertEqual(driver.planner.status(of: "j1", now: 0)?.phases[0].done, 2)

        let redo = driver.offers([offer("o5", agent: "a2", cpus: 4)]).plans
        XCTAssertEqual(redo.map(\.attemptID), ["j1.m00000.a2", "j1.m00001.a2"], "only maps until they are done")
        driver.finish("j1.m00000.a2")
        driver.finish("j1.m00001.a2")
        let reduce = driver.offers([offer("o6", agent: "a3", cpus: 4)]).plans
        XCTAssertEqual(reduce.map(\.attemptID), ["j1.r00001.a2"])
        if case .reduce(_, _, _, let outputs)? = reduce.first?.work {
            XCTAssertFalse(outputs.contains { $0.agentID == "a1" }, "no output is fetched from the lost agent")
            XCTAssertEqual(outputs.count, 4)
        }
        XCTAssertEqual(driver.finish("j1.r00001.a2").finished.first?.state, .succeeded)
        XCTAssertEqual(driver.planner.job("j1")?.counters.attemptsFailed, 0)
    }

    func testMapOutputsAreNotRedoneOnceEveryReduceIsDone() {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 1), splits: splits(1))
        driver.offers([offer("o1", agent: "a1")])
        driver.finish("j1.m00000.a1")
        driver.offers([offer("o2", agent: "a1")])
        XCTAssertEqual(driver.finish("j1.r00000.a1").finished.first?.state, .succeeded)
        XCTAssertTrue(driver.agentLost("a1").plans.isEmpty)
        XCTAssertEqual(driver.planner.job("j1")?.phases[0].tasks[0].state, .succeeded)
    }

    func testRestoringFromEncodedStateMidJobContinuesWhereItStopped() throws {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 2, slowstart: 1), splits: splits(3))
        driver.submit("j2", arrayJob(3))
        driver.offers([offer("o1", agent: "a1", cpus: 2)])
        driver.finish("j1.m00000.a1")
        driver.update("j1.m00001.a1", .running)

        let data = try JSONEncoder().encode(driver.planner)
        var restored = Driver(try JSONDecoder().decode(BatchPlanner.self, from: data))
        restored.now = 100
        XCTAssertEqual(restored.planner.jobs, driver.planner.jobs)
        XCTAssertEqual(restored.planner.liveAttempts.map(\.attemptID), ["j1.m00001.a1"])

        // Reconciliation: the master still runs m1; then the restarted framework gets offers again.
        let reconciled = restored.update("j1.m00001.a1", .running)
        XCTAssertEqual(reconciled.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 4)],
                       "demand is declared again after the restart")
        let offers = restored.offers([offer("o2", agent: "a2", cpus: 8)])
        XCTAssertEqual(offers.plans.map(\.attemptID),
                       ["j1.m00002.a1", "j2.t00000.a1", "j2.t00001.a1", "j2.t00002.a1"])
        XCTAssertEqual(offers.declaredDemand, [])
        restored.finish("j1.m00001.a1")
        restored.finish("j1.m00002.a1")
        for index in 0..<3 { restored.finish("j2.t0000\(index).a1") }
        XCTAssertEqual(restored.state("j2"), .succeeded)
        let reduces = restored.offers([offer("o3", agent: "a2", cpus: 8)]).plans
        XCTAssertEqual(reduces.map(\.attemptID), ["j1.r00000.a1", "j1.r00001.a1"])
        restored.finish("j1.r00000.a1")
        XCTAssertEqual(restored.finish("j1.r00001.a1").finished.first?.state, .succeeded)
        let maps = restored.planner.job("j1")?.phases[0].tasks
        XCTAssertEqual(maps?.map { $0.attempts.count }, [1, 1, 1], "no map ran twice")
    }

    func testAttemptsUnknownToTheMasterAfterRestartAreRetried() throws {
        var driver = Driver()
        driver.submit("j1", arrayJob(1, maxAttempts: 1))
        driver.offers([offer("o1", agent: "a1")])
        var restored = Driver(BatchPlanner(jobs: driver.planner.jobs))
        let answer = restored.update("j1.t00000.a1", .lost("unknown to the master"))
        XCTAssertTrue(answer.finished.isEmpty)
        XCTAssertEqual(answer.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 1)])
        XCTAssertEqual(restored.offers([offer("o2", agent: "a1")]).plans.map(\.attemptID), ["j1.t00000.a2"])
    }

    func testRestoredBlacklistsAndFinishedJobsStayInForce() {
        var driver = Driver()
        driver.submit("done", arrayJob(1))
        driver.submit("j1", arrayJob(1, maxAttempts: 10))
        driver.offers([offer("x", agent: "a1", cpus: 1)])
        driver.finish("done.t00000.a1")
        driver.offers([offer("y1", agent: "a2", cpus: 0.1), offer("y2", agent: "a3", cpus: 0.1)])
        for attempt in 1...3 {
            driver.offers([offer("o\(attempt)", agent: "a1", cpus: 1)])
            driver.fail("j1.t00000.a\(attempt)")
        }
        var restored = Driver(BatchPlanner(jobs: driver.planner.jobs))
        restored.offers([offer("y3", agent: "a2", cpus: 0.1), offer("y4", agent: "a3", cpus: 0.1)])
        XCTAssertTrue(restored.offers([offer("o9", agent: "a1")]).plans.isEmpty, "a1 stays blacklisted for j1")
        XCTAssertEqual(restored.planner.job("done")?.state, .succeeded)
        XCTAssertTrue(restored.planner.forget(jobID: "done"))
        XCTAssertNil(restored.planner.job("done"))
        XCTAssertFalse(restored.planner.forget(jobID: "j1"), "only finished jobs can be forgotten")
        XCTAssertEqual(restored.offers([offer("o10", agent: "a2")]).plans.map(\.attemptID), ["j1.t00000.a4"])
    }
}
