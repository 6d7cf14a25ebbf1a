@testable import Agent
import FairwayProto
import Foundation
import XCTest

/// Not a test of behaviour: how many trivial tasks (`true`) per second one agent runs end to end
/// (RUN_TASKS → TASK_FINISHED acknowledged) against an instant fake master, for each launch method.
/// Skipped unless FAIRWAY_AGENT_BENCH=N (the number of tasks) is set; prints its figures.
final class LaunchThroughputBenchmark: AgentTestCase {
    func testThroughput() async throws {
        guard let text = ProcessInfo.processInfo.environment["FAIRWAY_AGENT_BENCH"], let count = Int(text) else {
            throw XCTSkip("set FAIRWAY_AGENT_BENCH=<tasks> to run the launch throughput benchmark")
        }
        for method in [LaunchMethod.launcherMode, .shell] {
            let master = FakeMaster(autoAcknowledge: true)
            let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master) { $0.launchMethod = method }
            try await registered(agent)
            let start = Date()
            let batch = 50
            for first in stride(from: 0, to: count, by: batch) {
                let tasks = (first..<min(count, first + batch)).map { Events.task("t\($0)", shell: "true", cpus: 0.01, mem: 32) }
                var event = Events.simple(.runTasks)
                event.runTasks.runs = tasks.map { task in
                    var run = Fairway_Internal_RunTask()
                    run.frameworkInfo = Events.framework()
                    run.task = task
                    return run
                }
                master.send(event)
            }
            try await eventually("all tasks to finish", timeout: 600) {
                await agent.state.completed.count >= count ? true : nil
            }
            let seconds = Date().timeIntervalSince(start)
            let finished = master.updates.filter { $0.status.state == .taskFinished }.count
            print("BENCH \(method): \(count) tasks in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(count) / seconds)) tasks/s (\(finished) FINISHED)")
            await agent.shutdown(killTasks: true)
        }
    }
}
