import BatchCore
import XCTest

/// Stragglers get one backup on another agent; the first attempt to succeed wins.
final class SpeculationTests: XCTestCase {
    /// Ten 1-second tasks on a1..a10, nine of which finish at t=1; task 9 straggles.
    private func driverWithStraggler() -> Driver {
        var driver = Driver()
        driver.submit("j1", arrayJob(10, speculative: true))
        driver.offers((0..<10).map { offer("o\($0)", agent: "a\($0)", cpus: 1) })
        driver.now = 1
        for index in 0..<9 { driver.finish("j1.t0000\(index).a1") }
        return driver
    }

    func testStragglerGetsOneBackupOnAnotherAgentAndTheFirstSuccessWins() {
        var driver = driverWithStraggler()
        driver.now = 2
        XCTAssertTrue(driver.tick().declaredDemand == nil, "2 s is not more than twice the 1 s median")
        driver.now = 2.5
        let tick = driver.tick()
        XCTAssertEqual(tick.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 1)])
        XCTAssertTrue(tick.revives, "offers were suppressed while nothing waited")

        let sameAgent = driver.offers([offer("p1", agent: "a9")])
        XCTAssertTrue(sameAgent.plans.isEmpty, "never next to the original")
        let backup = driver.offers([offer("p2", agent: "b1")]).plans
        XCTAssertEqual(backup.map(\.attemptID), ["j1.t00009.a2"])
        XCTAssertEqual(backup.first?.speculative, true)

        driver.now = 5
        XCTAssertNil(driver.tick().declaredDemand, "a task gets one backup only")
        let win = driver.finish("j1.t00009.a2")
        XCTAssertEqual(win.kills, ["j1.t00009.a1"])
        XCTAssertTrue(win.contains(.kill(attemptID: "j1.t00009.a1", agentID: "a9")))
        XCTAssertEqual(win.finished.first?.state, .succeeded)
        XCTAssertTrue(driver.finish("j1.t00009.a1").isEmpty, "the loser's late success changes nothing")
        let task = driver.planner.job("j1")?.phases[0].tasks[9]
        XCTAssertEqual(task?.attempts.map(\.state), [.killed, .succeeded])
        XCTAssertEqual(driver.planner.job("j1")?.counters.speculativeLaunched, 1)
        XCTAssertEqual(driver.planner.job("j1")?.counters.attemptsKilled, 1)
    }

    func testOriginalWinningKillsTheBackup() {
        var driver = driverWithStraggler()
        driver.now = 3
        driver.tick()
        driver.offers([offer("p2", agent: "b1")])
        let win = driver.finish("j1.t00009.a1")
        XCTAssertEqual(win.kills, ["j1.t00009.a2"])
        XCTAssertEqual(win.finished.first?.state, .succeeded)
    }

    func testNoSpeculationWhenDisabledOrBeforeAnyTaskFinished() {
        var driver = Driver()
        driver.submit("off", arrayJob(2, speculative: false))
        driver.submit("early", arrayJob(2, speculative: true))
        driver.offers([offer("o1", agent: "a1", cpus: 4)])
        driver.finish("off.t00000.a1")
        driver.now = 100
        XCTAssertNil(driver.tick().declaredDemand)
    }

    func testBackupsWaitUntilNothingElseOfTheJobWaits() {
        var driver = Driver()
        driver.submit("j1", arrayJob(12, speculative: true))
        driver.offers([offer("o1", agent: "a1", cpus: 2)])
        driver.now = 1
        driver.finish("j1.t00000.a1")
        driver.now = 10
        driver.tick()
        let plans = driver.offers([offer("o2", agent: "a2", cpus: 10)]).plans
        XCTAssertEqual(plans.filter(\.speculative).count, 0, "ten regular tasks still waited; the offer held exactly ten")
        let next = driver.offers([offer("o3", agent: "a3", cpus: 2)]).plans
        XCTAssertEqual(next.map(\.attemptID), ["j1.t00001.a2"], "then the straggler's backup")
    }

    func testAtMostTenPercentOfRunningTasksGetBackupsAtOnce() {
        var driver = Driver()
        driver.submit("j1", arrayJob(31, speculative: true))
        driver.offers([offer("o1", agent: "a1", cpus: 31)])
        driver.now = 1
        driver.finish("j1.t00000.a1")
        driver.now = 10
        XCTAssertEqual(driver.tick().declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 3)],
                       "30 running tasks straggle; 10 % of them get backups")
        let plans = driver.offers([offer("o2", agent: "a2", cpus: 8)]).plans
        XCTAssertEqual(plans.map(\.index), [1, 2, 3], "the longest-running first (ties by ID)")
    }
}
