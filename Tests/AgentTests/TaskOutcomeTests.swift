@testable import Agent
import XCTest

final class TaskOutcomeTests: XCTestCase {
    func testOutcomes() {
        func classify(_ exit: ProcessExit, kill: Bool = false, oom: Bool = false, launch: String? = nil) -> TaskOutcome {
            TaskOutcome.classify(exit: exit, killRequested: kill, memoryLimitHit: oom, launchError: launch, memoryLimitMB: 32)
        }
        XCTAssertEqual(classify(.exited(0)).state, .taskFinished)
        XCTAssertEqual(classify(.exited(1)).state, .taskFailed)
        XCTAssertEqual(classify(.signaled(9)).message, "Command terminated by signal SIGKILL (9)")
        XCTAssertEqual(classify(.signaled(9), kill: true).state, .taskKilled)
        XCTAssertEqual(classify(.signaled(9), oom: true).reason, .containerLimitationMemory)
        XCTAssertEqual(classify(.exited(0), oom: true).state, .taskFinished, "a task that survived its OOM kills finished")
        XCTAssertEqual(classify(.exited(127), launch: "no such file").reason, .containerLaunchFailed)
        XCTAssertEqual(classify(.unknown).reason, .agentRestarted)
        let orphaned = TaskOutcome.classify(exit: .unknown, killRequested: false, memoryLimitHit: false, launchError: nil,
                                            memoryLimitMB: nil, unknownExitReason: "the launcher service died")
        XCTAssertEqual(orphaned.reason, .executorTerminated)
        XCTAssertTrue(orphaned.message.contains("after the launcher service died"), orphaned.message)
        XCTAssertEqual(ProcessExit(waitStatus: 3 << 8), .exited(3))
        XCTAssertEqual(ProcessExit(waitStatus: 9), .signaled(9))
    }
}
