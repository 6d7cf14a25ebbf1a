@testable import Agent
import FairwayProto
import Foundation
import XCTest

final class MemoryLimitTests: AgentTestCase {
    func testTaskExceedingItsMemoryIsFailedWithTheMemoryReason() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        guard await agent.isolation != nil else {
            let reason = "cgroups are unavailable here (not root, not mounted or not writable): memory limits cannot be enforced"
            print("skipping: \(reason)")
            throw XCTSkip(reason)
        }
        try await registered(agent)

        // 200 MB in a shell variable, against a 32 MB limit.
        master.send(Events.run(Events.task("hog", shell: "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}", mem: 32)))
        let failed = try await terminalUpdate("hog", on: master, timeout: 60)

        XCTAssertEqual(failed.status.state, .taskFailed, failed.status.message)
        XCTAssertEqual(failed.status.reason, .containerLimitationMemory)
        XCTAssertEqual(failed.status.source, .agent)
        XCTAssertTrue(failed.status.message.contains("Memory limit"), failed.status.message)
        XCTAssertTrue(failed.status.message.contains("32 MB"), failed.status.message)
        XCTAssertEqual(failed.status.limitation.resources.first?.name, "mem")
    }

    func testTaskWithinItsLimitsFinishesAndItsCgroupsAreRemoved() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        guard let isolation = await agent.isolation else {
            throw XCTSkip("cgroups are unavailable here")
        }
        try await registered(agent)

        master.send(Events.run(Events.task("small", shell: "cat /proc/self/cgroup", cpus: 0.25, mem: 64)))
        let finished = try await terminalUpdate("small", on: master)
        XCTAssertEqual(finished.status.state, .taskFinished, finished.status.message)

        let taskFound: AgentTask? = try await completedTask("small", on: agent)

        let task = try XCTUnwrap(taskFound)
        let cgroups = try XCTUnwrap(contents(task.sandbox + "/stdout"))
        XCTAssertTrue(cgroups.contains("/fairway/agent-"), "the task ran in the agent's cgroup subtree:\n\(cgroups)")
        XCTAssertTrue(cgroups.contains(task.containerID), cgroups)
        if isolation.hasPrefix("cgroup v1") {
            let memoryLine = try XCTUnwrap(cgroups.split(separator: "\n").first { $0.contains(":memory:") })
            let path = "/sys/fs/cgroup/memory" + memoryLine.split(separator: ":", maxSplits: 2)[2]
            try await eventually("the task's cgroup to be removed") { FileManager.default.fileExists(atPath: path) ? nil : true }
        }
    }
}
