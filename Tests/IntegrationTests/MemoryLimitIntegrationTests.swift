import FairwayProto
import Foundation
import FairwayTesting
import XCTest

final class MemoryLimitIntegrationTests: XCTestCase {
    func testTaskExceedingItsMemoryIsFailedWithTheMemoryReason() async throws {
        guard getuid() == 0 else { throw XCTSkip("cgroup limits need root; skipped") }
        let memoryV1 = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes")
            || FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory")
        let unified = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
        guard memoryV1 || unified else { throw XCTSkip("no memory cgroup controller on this machine; skipped") }

        let cluster = try ProcessCluster()
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1, resources: "cpus:1;mem:1024")
        let hog = "python3 -c 'b = bytearray(300 * 1024 * 1024); import time; time.sleep(2)'"
        let runner = TaskRunner(master: cluster.master, name: "hog", commands: [("hog", hog)], cpus: 0.5, mem: 64)
        runner.start()
        try await waitUntil("the hog task ends", timeout: 60) { runner.allTerminal(["hog"]) }
        let last = try XCTUnwrap(runner.updates["hog"]?.last)
        XCTAssertEqual(last.state, .taskFailed, last.message)
        XCTAssertEqual(last.reason, .containerLimitationMemory, last.message)
    }
}
