@testable import Agent
import FairwayProto
import XCTest

final class RestartPolicyTests: XCTestCase {
    private func task(policy: String?) -> Fairway_V1_TaskInfo {
        var task = Fairway_V1_TaskInfo()
        if let policy {
            var label = Fairway_V1_Label()
            label.key = RestartPolicy.label
            label.value = policy
            task.labels.labels = [label]
        }
        return task
    }

    func testPolicyComesFromTheTaskLabel() {
        XCTAssertEqual(RestartPolicy(task: task(policy: "Always")), .always)
        XCTAssertEqual(RestartPolicy(task: task(policy: "OnFailure")), .onFailure)
        XCTAssertEqual(RestartPolicy(task: task(policy: "Never")), .never)
        XCTAssertNil(RestartPolicy(task: task(policy: nil)), "a task without the label runs once, as today")
        XCTAssertNil(RestartPolicy(task: task(policy: "Sometimes")))
    }

    func testWhichEndsRestart() {
        XCTAssertTrue(RestartPolicy.always.restarts(failed: false))
        XCTAssertTrue(RestartPolicy.always.restarts(failed: true))
        XCTAssertFalse(RestartPolicy.onFailure.restarts(failed: false))
        XCTAssertTrue(RestartPolicy.onFailure.restarts(failed: true))
        XCTAssertFalse(RestartPolicy.never.restarts(failed: true))
    }

    func testBackoffDoublesFromOneSecondToAMinuteAndResetsAfterTenMinutesOfRunning() {
        var backoff = RestartBackoff()
        let delays = (0..<9).map { _ in backoff.delay(afterRunOf: 1) }
        XCTAssertEqual(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60])
        XCTAssertEqual(backoff.delay(afterRunOf: 599), 60)
        XCTAssertEqual(backoff.delay(afterRunOf: 600), 1, "a container that ran 10 minutes starts over")
        XCTAssertEqual(backoff.delay(afterRunOf: 0), 2)
    }

    func testAlwaysRestartsAfterASuccessfulExitAndCountsRestarts() {
        var restarts = ContainerRestarts(policy: .always)
        restarts.started(at: 100)
        XCTAssertEqual(restarts.ended(.init(exitCode: 0, failed: false, killRequested: false), at: 101), .restart(delay: 1))
        restarts.started(at: 102)
        XCTAssertEqual(restarts.ended(.init(exitCode: 0, failed: false, killRequested: false), at: 103), .restart(delay: 2))
        XCTAssertEqual(restarts.count, 2)
        XCTAssertEqual(restarts.lastExitCode, 0)
        XCTAssertNil(restarts.runStartedAt)
    }

    func testOnFailureStopsAfterSuccessAndRestartsAfterFailure() {
        var restarts = ContainerRestarts(policy: .onFailure)
        restarts.started(at: 0)
        XCTAssertEqual(restarts.ended(.init(exitCode: 137, failed: true, killRequested: false), at: 5), .restart(delay: 1))
        restarts.started(at: 6)
        XCTAssertEqual(restarts.ended(.init(exitCode: 0, failed: false, killRequested: false), at: 7), .stop)
        XCTAssertEqual(restarts.count, 1)
        XCTAssertEqual(restarts.lastExitCode, 0)
    }

    func testNeverAndKilledTasksStop() {
        var never = ContainerRestarts(policy: .never)
        never.started(at: 0)
        XCTAssertEqual(never.ended(.init(exitCode: 3, failed: true, killRequested: false), at: 1), .stop)
        XCTAssertEqual(never.count, 0)

        var always = ContainerRestarts(policy: .always)
        always.started(at: 0)
        XCTAssertEqual(always.ended(.init(exitCode: 143, failed: true, killRequested: true), at: 1), .stop,
                       "a task the framework kills is never restarted")
    }

    func testLongRunResetsTheBackoff() {
        var restarts = ContainerRestarts(policy: .always)
        for second in stride(from: 0.0, to: 10, by: 2) {
            restarts.started(at: second)
            _ = restarts.ended(.init(exitCode: 1, failed: true, killRequested: false), at: second + 1)
        }
        restarts.started(at: 1000)
        XCTAssertEqual(restarts.ended(.init(exitCode: 1, failed: true, killRequested: false), at: 1700), .restart(delay: 1))
    }

    func testContainerExitCodes() {
        XCTAssertEqual(ProcessExit.exited(3).containerExitCode, 3)
        XCTAssertEqual(ProcessExit.signaled(9).containerExitCode, 137)
        XCTAssertEqual(ProcessExit.signaled(15).containerExitCode, 143)
        XCTAssertEqual(ProcessExit.unknown.containerExitCode, 255)
    }
}
