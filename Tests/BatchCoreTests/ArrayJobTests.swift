import BatchCore
import XCTest

/// Array jobs: packing, retries, failure messages, timeouts and kills, as a user of `fairway job` sees them.
final class ArrayJobTests: XCTestCase {
    func testThousandTaskArrayRunsEveryIndexExactlyOnceWithPackedOffers() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1000))
        var round = 0
        while driver.state("j1") != .succeeded, round < 200 {
            round += 1
            let offers = (1...4).map { offer("o\(round)-\($0)", agent: "a\($0)", cpus: 4, mem: 4096) }
            let actions = driver.offers(offers)
            for launch in actions.launches {
                XCTAssertEqual(launch.plans.count, 4, "a 4-cpu offer takes four 1-cpu tasks")
            }
            for id in driver.running.keys.sorted() {
                driver.update(id, .running)
                driver.finish(id)
            }
            driver.now += 0.01
        }
        XCTAssertEqual(driver.state("j1"), .succeeded)
        XCTAssertEqual(round, 63, "16 tasks per round of four 4-cpu offers")
        let finished = driver.log.finished
        XCTAssertEqual(finished.count, 1)
        XCTAssertEqual(finished.first?.state, .succeeded)

        let indexes = driver.log.plans.map { plan -> Int in
            guard case .array(let command, let index) = plan.work else { return -1 }
            XCTAssertEqual(command, "true")
            XCTAssertEqual(plan.index, index)
            return index
        }
        XCTAssertEqual(indexes.count, 1000, "no task launched twice")
        XCTAssertEqual(Set(indexes), Set(0..<1000))
        let job = driver.planner.job("j1")
        XCTAssertEqual(job?.phases[0].tasks.allSatisfy { task in
            task.state == .succeeded && task.attempts.filter { $0.state == .succeeded }.count == 1
        }, true)
        let status = driver.planner.status(of: "j1", now: driver.now)
        XCTAssertEqual(status?.phases.first?.done, 1000)
        XCTAssertEqual(status?.attemptsLaunched, 1000)
        XCTAssertEqual(status?.counters.tasksDone["array"], 1000)
    }

    func testOfferIsPackedUpToItsScarcestResource() {
        var driver = Driver()
        driver.submit("j1", arrayJob(10, cpus: 1, mem: 100))
        let actions = driver.offers([offer("o1", agent: "a1", cpus: 4, mem: 250),
                                     offer("o2", agent: "a2", cpus: 1.5, mem: 1000)])
        XCTAssertEqual(actions.launches.map(\.plans.count), [2, 1])
        XCTAssertEqual(actions.launches.map(\.offerID), ["o1", "o2"])
        XCTAssertEqual(actions.plans.map(\.attemptID), ["j1.t00000.a1", "j1.t00001.a1", "j1.t00002.a1"])
        XCTAssertTrue(actions.declines.isEmpty)
    }

    func testFractionalCpusPackExactly() {
        var driver = Driver()
        driver.submit("j1", arrayJob(20, cpus: 0.1, mem: 1))
        XCTAssertEqual(driver.offers([offer("o1", agent: "a1", cpus: 1, mem: 100)]).plans.count, 10,
                       "ten 0.1-cpu tasks fit in one cpu without rounding loss")
    }

    func testTaskFailingTwiceThenSucceedingLetsTheJobSucceed() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1))
        for attempt in 1...2 {
            let plans = driver.offers([offer("o\(attempt)", agent: "a\(attempt)")]).plans
            XCTAssertEqual(plans.map(\.attemptID), ["j1.t00000.a\(attempt)"])
            driver.fail("j1.t00000.a\(attempt)")
            XCTAssertEqual(driver.state("j1"), .running)
        }
        let last = driver.offers([offer("o3", agent: "a3")]).plans
        XCTAssertEqual(last.map(\.attemptID), ["j1.t00000.a3"])
        let actions = driver.finish("j1.t00000.a3")
        XCTAssertEqual(actions.finished.first?.state, .succeeded)
        XCTAssertNil(actions.finished.first?.message)
        XCTAssertEqual(driver.planner.status(of: "j1", now: 1)?.phases[0].failedAttempts, 2)
        XCTAssertEqual(driver.planner.job("j1")?.counters.attemptsFailed, 2)
    }

    func testAlwaysFailingTaskFailsTheJobNamingTaskAndLastErrorAndKillsTheRest() {
        var driver = Driver()
        driver.submit("j1", arrayJob(3))
        // Tasks 0, 1, 2 start on a1..a3; task 1 keeps failing, each retry on a fresh agent.
        driver.offers([offer("o1", agent: "a1", cpus: 1), offer("o2", agent: "a2", cpus: 1),
                       offer("o3", agent: "a3", cpus: 1)])
        driver.finish("j1.t00000.a1")
        var actions: [BatchAction] = []
        for attempt in 1...4 {
            actions = driver.fail("j1.t00001.a\(attempt)", "exited with status 1: boom \(attempt)")
            if attempt < 4 {
                XCTAssertTrue(actions.finished.isEmpty)
                let plans = driver.offers([offer("r\(attempt)", agent: "b\(attempt)", cpus: 1)]).plans
                XCTAssertEqual(plans.map(\.attemptID), ["j1.t00001.a\(attempt + 1)"])
            }
        }
        XCTAssertEqual(actions.finished.count, 1)
        XCTAssertEqual(actions.finished.first?.state, .failed)
        XCTAssertEqual(actions.finished.first?.message,
                       "task 1 failed 4 times; last attempt j1.t00001.a4 on agent b3 (b3): exited with status 1: boom 4")
        XCTAssertEqual(actions.kills, ["j1.t00002.a1"], "the job's other running attempt is killed")
        XCTAssertTrue(actions.contains(.kill(attemptID: "j1.t00002.a1", agentID: "a3")))
        XCTAssertEqual(driver.planner.job("j1")?.message, actions.finished.first?.message)
        XCTAssertTrue(driver.offers([offer("late", agent: "a1")]).plans.isEmpty, "a failed job launches nothing")
    }

    func testTimedOutAttemptIsKilledCountedAndRetried() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1, maxAttempts: 2, timeout: 10))
        driver.offers([offer("o1", agent: "a1")])
        driver.update("j1.t00000.a1", .running)
        driver.now = 9
        XCTAssertTrue(driver.tick().kills.isEmpty)
        driver.now = 10
        let actions = driver.tick()
        XCTAssertEqual(actions.kills, ["j1.t00000.a1"])
        let attempt = driver.planner.job("j1")?.phases[0].tasks[0].attempts[0]
        XCTAssertEqual(attempt?.state, .failed)
        XCTAssertEqual(attempt?.lastMessage, "timed out after 10s")
        XCTAssertTrue(driver.update("j1.t00000.a1", .killed("killed")).isEmpty, "the kill's echo changes nothing")

        XCTAssertEqual(driver.offers([offer("o2", agent: "a2")]).plans.map(\.attemptID), ["j1.t00000.a2"])
        driver.now = 25
        let second = driver.tick()
        XCTAssertEqual(second.finished.first?.state, .failed)
        XCTAssertEqual(second.finished.first?.message,
                       "task 0 failed 2 times; last attempt j1.t00000.a2 on agent a2 (a2): timed out after 10s")
    }

    func testKillingAJobKillsItsAttemptsAndStopsLaunching() {
        var driver = Driver()
        driver.submit("j1", arrayJob(10))
        driver.offers([offer("o1", agent: "a1", cpus: 2)])
        let actions = driver.planner.kill(jobID: "j1", now: 1)
        XCTAssertEqual(actions.kills, ["j1.t00000.a1", "j1.t00001.a1"])
        XCTAssertEqual(actions.finished.first?.state, .killed)
        XCTAssertEqual(actions.first, .jobChanged("j1"), "the new state is persisted first")
        XCTAssertTrue(actions.suppresses, "nothing is left to run")
        XCTAssertTrue(driver.planner.offers([offer("o2", agent: "a1")], now: 2).plans.isEmpty)
        XCTAssertTrue(driver.planner.kill(jobID: "j1", now: 3).isEmpty, "killing twice is harmless")
        XCTAssertTrue(driver.planner.statusUpdate(attemptID: "j1.t00000.a1", state: .killed("killed"), now: 3).isEmpty)
        XCTAssertEqual(driver.planner.job("j1")?.counters.attemptsKilled, 2)
    }

    func testJobsAreServedFirstComeFirstServed() {
        var driver = Driver()
        driver.submit("first", arrayJob(3))
        driver.submit("second", arrayJob(3))
        let plans = driver.offers([offer("o1", agent: "a1", cpus: 4)]).plans
        XCTAssertEqual(plans.map(\.jobID), ["first", "first", "first", "second"])
    }

    func testCountersOfWinningAttemptsAreSummed() {
        var driver = Driver()
        driver.submit("j1", arrayJob(2))
        driver.offers([offer("o1", agent: "a1", cpus: 2)])
        driver.update("j1.t00000.a1", .finished, counters: ["records": 3])
        driver.update("j1.t00001.a1", .failed("x"), counters: ["records": 100])
        driver.offers([offer("o2", agent: "a1")])
        driver.update("j1.t00001.a2", .finished, counters: ["records": 4])
        XCTAssertEqual(driver.planner.job("j1")?.counters.user["records"], 7, "failed attempts' records are not counted")
    }

    func testUnknownAndDuplicateUpdatesAreIgnored() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1))
        driver.offers([offer("o1", agent: "a1")])
        XCTAssertTrue(driver.planner.statusUpdate(attemptID: "nope", state: .finished, now: 1).isEmpty)
        XCTAssertEqual(driver.finish("j1.t00000.a1").finished.count, 1)
        XCTAssertTrue(driver.finish("j1.t00000.a1").isEmpty)
        XCTAssertTrue(driver.planner.submit(id: "j1", spec: arrayJob(5), now: 2).isEmpty, "a known ID is not resubmitted")
    }
}
