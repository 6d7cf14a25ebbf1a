@testable import Agent
import XCTest

final class CgroupsDetectionTests: XCTestCase {
    func testParsesAHybridLayout() {
        let mounts = CgroupsDetection.parseMounts("""
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """)
        XCTAssertEqual(mounts.count, 4)
        XCTAssertEqual(mounts[1].controllers, ["memory"])
        XCTAssertEqual(mounts[2].controllers, ["cpu", "cpuacct"])
        XCTAssertTrue(mounts[3].isUnified)

        let membership = CgroupsDetection.parseMembership("""
            4:memory:/process_api/6c49
            2:cpu,cpuacct:/
            0::/
            """)
        XCTAssertEqual(membership.v1["memory"], "/process_api/6c49")
        XCTAssertEqual(membership.v1["cpuacct"], "/")
        XCTAssertEqual(membership.unified, "/")
        XCTAssertEqual(CgroupsDetection.directory(of: "/process_api/6c49", in: mounts[1]), "/sys/fs/cgroup/memory/process_api/6c49")
        XCTAssertEqual(CgroupsDetection.directory(of: "/", in: mounts[0]), "/sys/fs/cgroup/cpu")
    }

    func testMountOfASubtreeIsResolvedRelativeToItsRoot() {
        let mounts = CgroupsDetection.parseMounts("50 40 0:30 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw")
        XCTAssertEqual(CgroupsDetection.directory(of: "/docker/abc/agent", in: mounts[0]), "/sys/fs/cgroup/agent")
    }
}
