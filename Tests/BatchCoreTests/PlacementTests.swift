import BatchCore
import XCTest

/// Where attempts go: blacklists, delay scheduling, reduce slowstart and how unused offers are declined.
final class PlacementTests: XCTestCase {
    func testAgentIsBlacklistedForAJobAfterThreeFailuresThere() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1, maxAttempts: 10))
        driver.submit("j2", arrayJob(1))
        // Three agents known; every attempt of j1 lands on a1 (the only one offering) and fails.
        driver.offers([offer("x2", agent: "a2", cpus: 0.5), offer("x3", agent: "a3", cpus: 0.5)])
        for attempt in 1...3 {
            let plans = driver.offers([offer("o\(attempt)", agent: "a1", cpus: 1)]).plans
            XCTAssertEqual(plans.map(\.attemptID), ["j1.t00000.a\(attempt)"])
            driver.fail("j1.t00000.a\(attempt)")
        }
        let onA1 = driver.offers([offer("o4", agent: "a1", cpus: 1)])
        XCTAssertEqual(onA1.plans.map(\.jobID), ["j2"], "a1 is no longer used for j1, still for other jobs")
        let again = driver.offers([offer("o5", agent: "a1", cpus: 4)])
        XCTAssertTrue(again.plans.isEmpty)
        XCTAssertEqual(again.declinedOffers, ["o5"])
        XCTAssertEqual(driver.offers([offer("o6", agent: "a2", cpus: 1)]).plans.map(\.attemptID), ["j1.t00000.a4"])
        XCTAssertEqual(driver.planner.job("j1")?.agentFailures["a1"], 3)
    }

    func testBlacklistCoveringTheWholeClusterIsIgnoredSoTheJobFailsInsteadOfHanging() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1))
        for attempt in 1...3 {
            driver.offers([offer("o\(attempt)", agent: "only")])
            driver.fail("j1.t00000.a\(attempt)")
        }
        XCTAssertEqual(driver.offers([offer("o4", agent: "only")]).plans.map(\.attemptID), ["j1.t00000.a4"])
        let actions = driver.fail("j1.t00000.a4", "exited with status 2")
        XCTAssertEqual(actions.finished.first?.state, .failed)
        XCTAssertTrue(actions.finished.first?.message?.hasPrefix("task 0 failed 4 times") == true)
    }

    func testMapsPreferOffersFromTheirInputHosts() {
        var driver = Driver()
        let input = [InputSplit(path: "/a", offset: 0, length: 10, hosts: ["h1"]),
                     InputSplit(path: "/b", offset: 0, length: 10, hosts: ["h2"])]
        driver.submit("j1", mapReduceJob(reducers: 1), splits: input)
        let actions = driver.offers([offer("o1", agent: "a2", host: "h2", cpus: 1),
                                     offer("o2", agent: "a1", host: "h1", cpus: 1)])
        XCTAssertEqual(actions.launches.map(\.agentID), ["a2", "a1"])
        XCTAssertEqual(actions.launches.map { $0.plans.map(\.index) }, [[1], [0]], "each map runs where its data is")
        if case .map(let split, let mapper, let combiner, let partitions)? = actions.plans.first?.work {
            XCTAssertEqual(split.path, "/b")
            XCTAssertEqual(mapper, "wc-map")
            XCTAssertNil(combiner)
            XCTAssertEqual(partitions, 1)
        } else {
            XCTFail("expected a map")
        }
    }

    func testDelaySchedulingWaitsForALocalOfferThenGivesUp() {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 1, localityDelay: 3),
                      splits: [InputSplit(path: "/a", offset: 0, length: 10, hosts: ["h1"])])
        driver.now = 1
        let early = driver.offers([offer("o1", agent: "a2", host: "h2")])
        XCTAssertTrue(early.plans.isEmpty, "the map still hopes for h1")
        XCTAssertEqual(early.declines.first?.offerIDs, ["o1"])
        XCTAssertEqual(early.declines.first?.refuseSeconds, 2, "refused until the locality wait is over")
        XCTAssertNil(early.declaredDemand, "the map still counts as demand")
        XCTAssertEqual(driver.planner.currentDemand, [DemandShape(cpus: 1, memMB: 128, count: 1)])

        driver.now = 2.9
        XCTAssertEqual(driver.offers([offer("o2", agent: "a2", host: "h2")]).declines.first?.refuseSeconds, 1,
                       "never shorter than the short filter")
        driver.now = 3
        let late = driver.offers([offer("o3", agent: "a2", host: "h2")])
        XCTAssertEqual(late.plans.map(\.attemptID), ["j1.m00000.a1"], "after the delay it runs anywhere")
    }

    func testLocalOfferWinsBeforeTheDelayExpires() {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 1),
                      splits: [InputSplit(path: "/a", offset: 0, length: 10, hosts: ["h1", "h3"])])
        driver.now = 0.5
        XCTAssertTrue(driver.offers([offer("o1", agent: "a2", host: "h2")]).plans.isEmpty)
        XCTAssertEqual(driver.offers([offer("o2", agent: "a3", host: "h3")]).plans.map(\.index), [0])
    }

    func testSplitsWithoutHostsRunAnywhereAtOnce() {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 1), splits: splits(2))
        XCTAssertEqual(driver.offers([offer("o1", agent: "a9", cpus: 2)]).plans.count, 2)
    }

    func testReducesWaitForEveryMapWhenConfiguredTo() {
        var driver = Driver(BatchPlanner(configuration: PlannerConfiguration(reducesNeedAllMaps: true)))
        driver.submit("j1", mapReduceJob(reducers: 2, slowstart: 0.05), splits: splits(4))
        XCTAssertEqual(driver.offers([offer("o1", agent: "a1", cpus: 8)]).plans.map(\.phase), Array(repeating: .map, count: 4))
        for index in 0..<3 {
            driver.finish("j1.m0000\(index).a1")
            XCTAssertTrue(driver.offers([offer("p\(index)", agent: "a2", cpus: 8)]).plans.isEmpty,
                          "reducesNeedAllMaps holds reduces back until every map is done, whatever the slowstart")
        }
        driver.finish("j1.m00003.a1")
        let plans = driver.offers([offer("p9", agent: "a2", cpus: 8)]).plans
        XCTAssertEqual(plans.map(\.attemptID), ["j1.r00000.a1", "j1.r00001.a1"])
        guard case .reduce(let partition, let reducer, let output, let outputs)? = plans.last?.work else {
            return XCTFail("expected a reduce")
        }
        XCTAssertEqual(partition, 1)
        XCTAssertEqual(reducer, "wc-reduce")
        XCTAssertEqual(output, "/out")
        XCTAssertEqual(outputs.map(\.mapIndex), [0, 1, 2, 3])
        XCTAssertEqual(outputs.first, MapOutput(mapIndex: 0, agentID: "a1", hostname: "a1", attemptID: "j1.m00000.a1"))

        driver.finish("j1.r00000.a1")
        XCTAssertEqual(driver.finish("j1.r00001.a1").finished.first?.state, .succeeded)
    }

    func testReducesStartAtSlowstartByDefault() {
        var driver = Driver()
        driver.submit("j1", mapReduceJob(reducers: 1, slowstart: 0.5), splits: splits(4))
        driver.offers([offer("o1", agent: "a1", cpus: 4)])
        driver.finish("j1.m00000.a1")
        XCTAssertTrue(driver.offers([offer("o2", agent: "a2")]).plans.isEmpty, "1 of 4 maps is below 50 %")
        let actions = driver.finish("j1.m00001.a1")
        XCTAssertEqual(actions.declaredDemand, [DemandShape(cpus: 1, memMB: 128, count: 1)], "the reduce is wanted now")
        let plans = driver.offers([offer("o3", agent: "a2")]).plans
        XCTAssertEqual(plans.map(\.phase), [.reduce])
        if case .reduce(_, _, _, let outputs)? = plans.first?.work {
            XCTAssertEqual(outputs.map(\.mapIndex), [0, 1])
        }
        XCTAssertEqual(driver.planner.mapOutputs(jobID: "j1").count, 2)
    }

    func testUnusedOffersAreDeclinedLongWhenNothingWaits() {
        var driver = Driver()
        let actions = driver.offers([offer("o1", agent: "a1"), offer("o2", agent: "a2")])
        XCTAssertEqual(actions.declines.count, 1)
        XCTAssertEqual(actions.declines.first?.offerIDs, ["o1", "o2"])
        XCTAssertEqual(actions.declines.first?.refuseSeconds, 30)

        driver.submit("j1", arrayJob(1, cpus: 8))
        let tooSmall = driver.offers([offer("o3", agent: "a1", cpus: 4)])
        XCTAssertEqual(tooSmall.declines.first?.refuseSeconds, 30, "a bigger offer is not covered by the filter")
    }

    func testPartlyUsedOfferIsLaunchedNotDeclined() {
        var driver = Driver()
        driver.submit("j1", arrayJob(1))
        let actions = driver.offers([offer("o1", agent: "a1", cpus: 4), offer("o2", agent: "a2")])
        XCTAssertEqual(actions.launches.map(\.offerID), ["o1"])
        XCTAssertEqual(actions.declinedOffers, ["o2"])
    }
}
