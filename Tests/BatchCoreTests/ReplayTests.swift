import BatchCore
import XCTest

/// The shell's restart path: jobs resubmitted, its attempt journal replayed, then a fresh subscription.
final class ReplayTests: XCTestCase {
    func testReplayingTheAttemptJournalRebuildsTheSameJob() {
        var original = Driver()
        original.submit("j1", arrayJob(3, maxAttempts: 2))
        original.offers([offer("o1", agent: "a1", cpus: 3)])
        original.now = 1
        original.fail("j1.t00000.a1")
        original.now = 2
        original.offers([offer("o2", agent: "a2", cpus: 1)])
        original.now = 3
        original.finish("j1.t00001.a1")

        var planner = BatchPlanner()
        _ = planner.submit(id: "j1", spec: arrayJob(3, maxAttempts: 2), now: 0)
        for id in ["j1.t00000.a1", "j1.t00001.a1", "j1.t00002.a1"] {
            XCTAssertTrue(planner.replayLaunch(attemptID: id, agentID: "a1", hostname: "a1", speculative: false, now: 0))
        }
        _ = planner.statusUpdate(attemptID: "j1.t00000.a1", state: .failed("exited with status 1"), now: 1)
        planner.replayLaunch(attemptID: "j1.t00000.a2", agentID: "a2", hostname: "a2", speculative: false, now: 2)
        _ = planner.statusUpdate(attemptID: "j1.t00001.a1", state: .finished, now: 3)
        XCTAssertEqual(planner.job("j1"), original.planner.job("j1"), "tasks, attempts and counters come back as they were")
        XCTAssertEqual(planner.liveAttempts.map(\.attemptID), ["j1.t00000.a2", "j1.t00002.a1"])

        XCTAssertFalse(planner.replayLaunch(attemptID: "j1.t00000.a2", agentID: "a2", hostname: "a2",
                                            speculative: false, now: 4), "already known")
        XCTAssertFalse(planner.replayLaunch(attemptID: "j1.t00001.a2", agentID: "a2", hostname: "a2",
                                            speculative: false, now: 4), "the task is done")
        XCTAssertFalse(planner.replayLaunch(attemptID: "other.t00000.a1", agentID: "a2", hostname: "a2",
                                            speculative: false, now: 4), "unknown job")

        let fresh = planner.subscribed(now: 10)
        XCTAssertEqual(fresh, [.suppress], "nothing waits: the new subscription is suppressed")
        let failed = planner.statusUpdate(attemptID: "j1.t00000.a2", state: .failed("exited with status 3"), now: 11)
        XCTAssertEqual(failed.finished.first?.message,
                       "task 0 failed 2 times; last attempt j1.t00000.a2 on agent a2 (a2): exited with status 3",
                       "the replayed failure still counts")
    }

    func testNextAttemptNumberFollowsTheHighestReplayed() {
        var planner = BatchPlanner()
        _ = planner.submit(id: "j1", spec: arrayJob(1), now: 0)
        planner.replayLaunch(attemptID: "j1.t00000.a3", agentID: "a1", hostname: "a1", speculative: false, now: 0)
        _ = planner.statusUpdate(attemptID: "j1.t00000.a3", state: .lost("gone"), now: 1)
        let plans = planner.offers([offer("o1", agent: "a1")], now: 2).plans
        XCTAssertEqual(plans.map(\.attemptID), ["j1.t00000.a4"], "IDs never repeat")
    }

    func testSubscribingAgainDeclaresWaitingDemand() {
        var driver = Driver()
        driver.submit("j1", arrayJob(5))
        let fresh = driver.planner.subscribed(now: 1)
        XCTAssertEqual(fresh, [.declareDemand([DemandShape(cpus: 1, memMB: 128, count: 5)])])
        XCTAssertEqual(driver.planner.subscribed(now: 2), fresh, "every subscription starts blank at the master")
    }

    func testAttemptLookupTellsHowThePlannerEndedIt() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1, timeout: 5))
        driver.offers([offer("o1", agent: "a1")])
        XCTAssertEqual(driver.planner.attempt("j1.t00000.a1")?.state, .staging)
        driver.now = 5
        XCTAssertEqual(driver.tick().kills, ["j1.t00000.a1"])
        XCTAssertEqual(driver.planner.attempt("j1.t00000.a1")?.state, .failed)
        XCTAssertEqual(driver.planner.attempt("j1.t00000.a1")?.lastMessage, "timed out after 5s")
        XCTAssertNil(driver.planner.attempt("j1.t00000.a9"))
        XCTAssertNil(driver.planner.attempt("nope"))
    }
}
