import BatchCore
import XCTest

/// What a user is told at submit time, and the IDs they see.
final class JobSpecTests: XCTestCase {
    func testDefaultsFollowHadoop() {
        let spec = mapReduceJob()
        XCTAssertEqual(spec.maxAttempts, 4)
        XCTAssertTrue(JobSpec(name: "x", kind: .array(ArraySpec(command: "true", count: 1))).speculative)
        let mr = MapReduceSpec(inputs: ["/in"], output: "/out", mapper: "cat", reducer: "cat")
        XCTAssertEqual(mr.reducers, 1)
        XCTAssertEqual(mr.splitSize, 64 * 1024 * 1024)
        XCTAssertEqual(mr.reduceSlowstart, 0.05)
        let plain = JobSpec(name: "x", kind: .mapReduce(mr))
        XCTAssertEqual(plain.cpus, 1)
        XCTAssertEqual(plain.memMB, 128)
        XCTAssertEqual(plain.localityDelay, 3)
        XCTAssertNil(plain.taskTimeout)
    }

    func testValidSpecsHaveNoProblems() {
        XCTAssertEqual(arrayJob(10).validate(), [])
        XCTAssertEqual(mapReduceJob().validate(splits: splits(2)), [])
    }

    func testEachProblemIsNamed() {
        let bad = JobSpec(name: "bad", kind: .array(ArraySpec(command: " ", count: 0)), cpus: 0, memMB: -1,
                          maxAttempts: 0, taskTimeout: 0)
        let problems = bad.validate()
        XCTAssertEqual(problems.count, 6, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("count must be at least 1") })
        XCTAssertTrue(problems.contains { $0.contains("cpus must be greater than 0") })
        XCTAssertTrue(problems.contains { $0.contains("mem must be greater than 0") })
        XCTAssertTrue(problems.contains { $0.contains("max attempts must be at least 1") })
        XCTAssertTrue(problems.contains { $0.contains("command must not be empty") })
        XCTAssertTrue(problems.contains { $0.contains("task timeout") })
    }

    func testMapReduceProblems() {
        let spec = JobSpec(name: "mr", kind: .mapReduce(MapReduceSpec(inputs: [], output: "", mapper: "", reducer: "",
                                                                      combiner: "", reducers: 0, splitSize: 0,
                                                                      reduceSlowstart: 1.5)))
        let problems = spec.validate(splits: [])
        XCTAssertTrue(problems.contains("give at least one input path"))
        XCTAssertTrue(problems.contains { $0.contains("output directory") })
        XCTAssertTrue(problems.contains { $0.contains("mapper") })
        XCTAssertTrue(problems.contains { $0.contains("reducer command") })
        XCTAssertTrue(problems.contains { $0.contains("combiner") })
        XCTAssertTrue(problems.contains { $0.contains("reducers must be at least 1") })
        XCTAssertTrue(problems.contains { $0.contains("split size") })
        XCTAssertTrue(problems.contains { $0.contains("slowstart") })
        XCTAssertTrue(problems.contains { $0.contains("input holds no data") })
    }

    func testImpossibleResourcesAreRefusedWhenTheLargestAgentIsKnown() {
        let spec = arrayJob(1, cpus: 8, mem: 128)
        let problems = spec.validate(splits: nil, largestAgent: AgentCapacity(cpus: 4, memMB: 8192))
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].contains("needs cpus 8"), problems[0])
        XCTAssertTrue(problems[0].contains("largest agent has cpus 4"), problems[0])
        XCTAssertEqual(arrayJob(1, cpus: 4).validate(splits: nil, largestAgent: AgentCapacity(cpus: 4, memMB: 8192)), [])
    }

    func testSubmittingAnInvalidJobRecordsItFailedWithTheProblems() {
        var driver = Driver()
        let actions = driver.submit("bad", arrayJob(0))
        XCTAssertEqual(actions.finished.first?.state, .failed)
        XCTAssertTrue(actions.finished.first?.message?.contains("count must be at least 1") == true)
        XCTAssertTrue(driver.offers([offer("o1", agent: "a1")]).plans.isEmpty)
    }

    func testAttemptIDsAreReadableAndParseBack() {
        XCTAssertEqual(AttemptID.make(jobID: "j1", phase: .map, index: 3, number: 1), "j1.m00003.a1")
        XCTAssertEqual(AttemptID.make(jobID: "j1", phase: .reduce, index: 1, number: 2), "j1.r00001.a2")
        XCTAssertEqual(AttemptID.make(jobID: "j1", phase: .array, index: 42, number: 1), "j1.t00042.a1")
        XCTAssertEqual(AttemptID.make(jobID: "j", phase: .array, index: 123_456, number: 1), "j.t123456.a1")
        let parsed = AttemptID.parse("job.with.dots.r00007.a3")
        XCTAssertEqual(parsed?.jobID, "job.with.dots")
        XCTAssertEqual(parsed?.phase, .reduce)
        XCTAssertEqual(parsed?.index, 7)
        XCTAssertEqual(parsed?.number, 3)
        XCTAssertNil(AttemptID.parse("some-other-task"))
        XCTAssertNil(AttemptID.parse("j1.x00001.a1"))
    }
}
