import BatchCore
import XCTest

/// What the master hears about our demand: REQUEST when it changes, SUPPRESS when idle, REVIVE on new work.
final class DemandTests: XCTestCase {
    func testDemandSuppressAndReviveFollowTheWork() {
        var driver = Driver()
        let idle = driver.offers([offer("o0", agent: "a1")])
        XCTAssertTrue(idle.suppresses, "an idle framework suppresses once")
        XCTAssertFalse(driver.offers([offer("o00", agent: "a1")]).suppresses, "only once")

        let submit = driver.submit("j1", arrayJob(6, cpus: 1, mem: 256))
        XCTAssertEqual(submit.declaredDemand, [DemandShape(cpus: 1, memMB: 256, count: 6)])
        XCTAssertTrue(submit.revives)
        XCTAssertFalse(submit.suppresses)
        guard let demandIndex = submit.firstIndex(where: { if case .declareDemand = $0 { true } else { false } }),
              let reviveIndex = submit.firstIndex(of: .revive) else { return XCTFail("missing actions") }
        XCTAssertLessThan(demandIndex, reviveIndex, "the master knows what we want when it revives us")

        let placed = driver.offers([offer("o1", agent: "a1", cpus: 4)])
        XCTAssertEqual(placed.declaredDemand, [DemandShape(cpus: 1, memMB: 256, count: 2)])
        XCTAssertFalse(placed.suppresses)
        XCTAssertTrue(driver.update("j1.t00000.a1", .running).isEmpty, "no change, nothing to say")

        let rest = driver.offers([offer("o2", agent: "a2", cpus: 4)])
        XCTAssertEqual(rest.declaredDemand, [])
        XCTAssertTrue(rest.suppresses, "everything placed: suppress")

        let retry = driver.fail("j1.t00001.a1")
        XCTAssertEqual(retry.declaredDemand, [DemandShape(cpus: 1, memMB: 256, count: 1)])
        XCTAssertTrue(retry.revives, "a retry is new work")
    }

    func testShapesAreGroupedAcrossJobs() {
        var driver = Driver()
        driver.submit("a", arrayJob(2, cpus: 1, mem: 128))
        driver.submit("b", arrayJob(3, cpus: 2, mem: 512))
        let actions = driver.submit("c", arrayJob(4, cpus: 1, mem: 128))
        XCTAssertEqual(actions.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 6),
                                                DemandShape(cpus: 2, memMB: 512, count: 3)])
    }

    func testNewWorkRevivesAfterALongDeclineEvenWhenNotSuppressed() {
        var driver = Driver()
        driver.submit("big", arrayJob(1, cpus: 8))
        let declined = driver.offers([offer("o1", agent: "a1", cpus: 2)])
        XCTAssertEqual(declined.declines.first?.refuseSeconds, 30)
        XCTAssertFalse(declined.suppresses, "the big task still waits")
        driver.now = 5
        let small = driver.submit("small", arrayJob(1, cpus: 1))
        XCTAssertTrue(small.revives, "a1's offer is filtered for 30 s but the new job could use it")
        driver.now = 6
        XCTAssertFalse(driver.submit("small2", arrayJob(1, cpus: 1)).revives, "filters were already cleared")
    }

    func testLocalityWaitingMapsCountAsDemand() {
        var driver = Driver()
        let actions = driver.submit("j1", mapReduceJob(reducers: 3),
                                    splits: [InputSplit(path: "/a", offset: 0, length: 1, hosts: ["h1"])])
        XCTAssertEqual(actions.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 1)],
                       "reduces held back by the maps are not requested yet")
    }
}
