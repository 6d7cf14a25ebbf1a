@testable import Agent
import XCTest

/// The pool's bookkeeping and the launch backlog's window, without cgroups.
final class CgroupPoolTests: XCTestCase {
    let small = CgroupPool.Limits(memoryBytes: 64 << 20, cpuShares: 512, cfsQuota: 50_000)

    func testReleasedCgroupIsReusedWithTheLimitsItWasGiven() {
        var pool = CgroupPool(capacity: 4, owner: 42)
        XCTAssertNil(pool.take(), "nothing to reuse at first")
        pool.lease("a", limits: small, reused: false)
        let name = try? XCTUnwrap(pool.reserveName(for: "a"))
        XCTAssertTrue(CgroupPool.isPoolName(name ?? ""))
        pool.add(name ?? "", from: "a")

        XCTAssertEqual(pool.take(), CgroupPool.Entry(name: name ?? "", limits: small))
        XCTAssertNil(pool.take())
        XCTAssertEqual(pool.created, 1)
        XCTAssertEqual(pool.pooled, 1)
    }

    func testIdleCgroupNamesCarryTheAgentsPid() {
        var pool = CgroupPool(capacity: 4, owner: 4242)
        let name = pool.reserveName(for: "a") ?? ""
        XCTAssertEqual(CgroupPool.owner(of: name), 4242)
        XCTAssertNil(CgroupPool.owner(of: "0b3c9e52-4f6e-4a8e-9d43-1c2b3a4d5e6f"), "a container's cgroup")
        XCTAssertNil(CgroupPool.owner(of: "pool-x-1"))
    }

    func testCgroupOfAnUnknownLeaseHasUnknownLimits() {
        var pool = CgroupPool(capacity: 4, owner: 42)
        // A task adopted after an agent restart: its cgroup was prepared by another process.
        let name = pool.reserveName(for: "adopted")
        pool.add(name ?? "", from: "adopted")
        XCTAssertEqual(pool.take()?.limits, nil)
    }

    func testPoolHoldsAtMostItsCapacityCountingRenamesInProgress() {
        var pool = CgroupPool(capacity: 2, owner: 42)
        for id in ["a", "b", "c"] { pool.lease(id, limits: small, reused: false) }
        let first = pool.reserveName(for: "a")
        let second = pool.reserveName(for: "b")
        XCTAssertNotNil(first)
        XCTAssertNotNil(second)
        XCTAssertNotEqual(first, second)
        XCTAssertNil(pool.reserveName(for: "c"), "two renames are under way: the third is removed")
        pool.forget("b", reserved: true)
        XCTAssertNotNil(pool.reserveName(for: "c"), "a failed rename frees its place")
        pool.add(first ?? "", from: "a")
        XCTAssertEqual(pool.drain().count, 1)
        XCTAssertTrue(pool.idle.isEmpty)
    }

    func testBacklogSendsAtMostAWindowAndRefillsOnceHalfIsAnswered() {
        var backlog = LaunchBacklog()
        backlog.append((0..<200).map(spec))
        let first = backlog.takeBatch()
        XCTAssertEqual(first.map(\.containerID), (0..<LaunchBacklog.window).map { "c\($0)" })
        XCTAssertTrue(backlog.takeBatch().isEmpty, "the window is full")
        for _ in 0..<(LaunchBacklog.window / 2 - 1) { backlog.answered() }
        XCTAssertTrue(backlog.takeBatch().isEmpty, "more than half is still in flight")
        backlog.answered()
        let second = backlog.takeBatch()
        XCTAssertEqual(second.first?.containerID, "c\(LaunchBacklog.window)", "in order")
        XCTAssertEqual(second.count, LaunchBacklog.window / 2)
        backlog.notSent(second.count)
        XCTAssertEqual(backlog.inFlight, LaunchBacklog.window / 2)
        backlog.connectionLost()
        XCTAssertEqual(backlog.takeBatch().count, LaunchBacklog.window)
        let left = backlog.close()
        XCTAssertEqual(left.count, 200 - 2 * LaunchBacklog.window - LaunchBacklog.window / 2)
        XCTAssertTrue(backlog.takeBatch().isEmpty, "nothing is sent after shutdown")
    }

    private func spec(_ number: Int) -> ContainerSpec {
        ContainerSpec(containerID: "c\(number)", sandbox: "/nonexistent", command: TaskCommand(program: "/bin/true", arguments: [], searchPath: false),
                      environment: [:], cpus: nil, memoryMB: nil)
    }
}
