@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class StatusUpdateQueueTests: XCTestCase {
    private let taskA = TaskKey(frameworkID: "fw", taskID: "a")
    private let taskB = TaskKey(frameworkID: "fw", taskID: "b")

    private func update(_ key: TaskKey, _ state: Fairway_V1_TaskState) -> Fairway_Internal_StatusUpdate {
        StatusUpdateFactory.make(task: key, state: state, agentID: "agent", executorID: key.taskID, source: .executor, now: 0)
    }

    func testOnlyTheHeadOfEachTaskIsSentAndAnAckReleasesTheNext() {
        var queue = StatusUpdateQueue()
        let running = queue.enqueue(update(taskA, .taskRunning), for: taskA)
        let finished = queue.enqueue(update(taskA, .taskFinished), for: taskA)
        let other = queue.enqueue(update(taskB, .taskRunning), for: taskB)

        XCTAssertEqual(queue.takeDue(now: 0).map(\.1), [running, other])
        XCTAssertTrue(queue.takeDue(now: 1).isEmpty, "nothing new until an ack or a retry")

        XCTAssertEqual(queue.acknowledge(taskA, uuid: running.uuid), .released(sequence: running.sequence, remaining: 1))
        XCTAssertEqual(queue.takeDue(now: 2).map(\.1), [finished])
        XCTAssertEqual(queue.acknowledge(taskA, uuid: finished.uuid), .released(sequence: finished.sequence, remaining: 0))
        XCTAssertTrue(queue.entries(for: taskA).isEmpty)
        XCTAssertEqual(queue.count, 1)
    }

    func testAWrongUUIDReleasesNothing() {
        var queue = StatusUpdateQueue()
        let running = queue.enqueue(update(taskA, .taskRunning), for: taskA)
        let finished = queue.enqueue(update(taskA, .taskFinished), for: taskA)
        _ = queue.takeDue(now: 0)

        XCTAssertEqual(queue.acknowledge(taskA, uuid: finished.uuid), .mismatch, "acking a later update does not skip the head")
        XCTAssertEqual(queue.acknowledge(taskA, uuid: Data(repeating: 7, count: 16)), .mismatch)
        XCTAssertEqual(queue.acknowledge(taskB, uuid: running.uuid), .unknownTask)
        XCTAssertEqual(queue.head(of: taskA), running)
        XCTAssertTrue(queue.takeDue(now: 1).isEmpty)
    }

    func testUnacknowledgedHeadIsResentAfterTenSecondsDoublingToSixty() {
        var queue = StatusUpdateQueue(initialRetryInterval: 10, maximumRetryInterval: 60)
        let running = queue.enqueue(update(taskA, .taskRunning), for: taskA)
        XCTAssertEqual(queue.takeDue(now: 100).count, 1)
        XCTAssertEqual(queue.nextRetryTime, 110)

        var sentAt: [Double] = []
        for now in stride(from: 101.0, through: 400, by: 1) where !queue.takeDue(now: now).isEmpty {
            sentAt.append(now)
        }
        XCTAssertEqual(sentAt, [110, 130, 170, 230, 290, 350])
        XCTAssertEqual(queue.head(of: taskA), running, "retries resend the same update (same uuid)")
    }

    func testResendMakesHeadsDueAtOnceAndResetsTheInterval() {
        var queue = StatusUpdateQueue()
        queue.enqueue(update(taskA, .taskRunning), for: taskA)
        queue.enqueue(update(taskB, .taskRunning), for: taskB)
        _ = queue.takeDue(now: 0)
        _ = queue.takeDue(now: 10)  // first retry: interval now 20

        queue.markForResend(frameworkID: "other")
        XCTAssertTrue(queue.takeDue(now: 11).isEmpty)
        queue.markForResend(frameworkID: "fw")
        XCTAssertEqual(queue.takeDue(now: 12).count, 2)
        XCTAssertEqual(queue.nextRetryTime, 22, "back to the initial interval")
    }

    func testRemovingAFrameworkDropsItsUpdates() {
        var queue = StatusUpdateQueue()
        let kept = TaskKey(frameworkID: "other", taskID: "x")
        queue.enqueue(update(taskA, .taskRunning), for: taskA)
        queue.enqueue(update(kept, .taskRunning), for: kept)
        XCTAssertEqual(queue.removeFramework("fw").count, 1)
        XCTAssertEqual(queue.taskKeys, [kept])
    }

    func testQueueSurvivesTheCheckpoint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairway-queue-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var queue = StatusUpdateQueue()
        let first = queue.enqueue(update(taskA, .taskRunning), for: taskA)
        let second = queue.enqueue(update(taskB, .taskRunning), for: taskB)
        let third = queue.enqueue(update(taskA, .taskFinished), for: taskA)
        let checkpoint = try Checkpoint(path: directory + "/agent.sqlite")
        try checkpoint.apply([.appendUpdate(taskA, first), .appendUpdate(taskB, second), .appendUpdate(taskA, third)])
        guard case .released(let released, _) = queue.acknowledge(taskA, uuid: first.uuid) else { return XCTFail("ack failed") }
        try checkpoint.apply([.deleteUpdates([released])])

        let reopened = try Checkpoint(path: directory + "/agent.sqlite")
        var restored = StatusUpdateQueue(restoring: try reopened.load().updates)
        XCTAssertEqual(restored.entries(for: taskA), [third])
        XCTAssertEqual(restored.entries(for: taskB), [second])
        XCTAssertEqual(restored.takeDue(now: 0).map(\.1), [second, third], "every restored head is sent again at once")
        let next = restored.enqueue(update(taskB, .taskFinished), for: taskB)
        XCTAssertGreaterThan(next.sequence, third.sequence, "sequences keep increasing after a restart")
    }
}
