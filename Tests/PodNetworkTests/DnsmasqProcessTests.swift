import Glibc
import Logging
@testable import PodNetwork
import FairwayTesting
import XCTest

final class DnsmasqProcessTests: XCTestCase {
    func testTheChildIsStoppedWhenOurEndOfTheWatchdogPipeCloses() async throws {
        // Stands in for dnsmasq: closing the pipe is what our exit does, however we die.
        let child = try DnsmasqProcess.start(["/bin/sleep", "1000"], logPath: "/dev/null", logger: Logger(label: "test"))
        defer { child.signal(SIGKILL) }
        XCTAssertFalse(child.hasExited)
        child.closeWatchdogPipe()
        try await waitUntil("the watchdog stopped the child") { child.hasExited }
    }

    func testStopEndsTheChildAndItsWatchdog() async throws {
        let child = try DnsmasqProcess.start(["/bin/sleep", "1000"], logPath: "/dev/null", logger: Logger(label: "test"))
        defer { child.signal(SIGKILL) }
        await child.stop()
        XCTAssertTrue(child.hasExited)
        XCTAssertNotEqual(kill(child.pid, 0), 0)
    }
}
