@testable import FrameworkKit
import XCTest

final class ReconnectPolicyTests: XCTestCase {
    func testBackoffDoublesWithJitterUpToTheCap() {
        var backoff = Backoff(initial: 0.5, maximum: 4)
        XCTAssertEqual(backoff.next(random: 0.999_999), 0.5, accuracy: 0.001)
        XCTAssertEqual(backoff.next(random: 0), 0.5, accuracy: 0.001, "jitter keeps at least half the step")
        XCTAssertEqual(backoff.next(random: 0.999_999), 2, accuracy: 0.001)
        XCTAssertEqual(backoff.next(random: 0.999_999), 4, accuracy: 0.001)
        XCTAssertEqual(backoff.next(random: 0.999_999), 4, accuracy: 0.001, "capped")
        backoff.reset()
        XCTAssertEqual(backoff.next(random: 0.999_999), 0.5, accuracy: 0.001)
    }

    func testOutageIsReportedOnceUntilSubscribedAgain() {
        var policy = ReconnectPolicy(master: "m:5050", initialBackoff: 0.1, maximumBackoff: 15)
        guard case .retry(_, _, let first?) = policy.next(after: .closed(message: "EOF"), random: 0.5) else {
            return XCTFail("the first failure is reported")
        }
        XCTAssertTrue(first.contains("m:5050"), first)
        guard case .retry(_, _, nil) = policy.next(after: .unreachable(message: "connection refused"), random: 0.5) else {
            return XCTFail("later failures of the same outage are not")
        }
        policy.subscribed()
        guard case .retry(_, let delay, _?) = policy.next(after: .heartbeatTimeout(seconds: 75), random: 0.999_999) else {
            return XCTFail("a new outage is reported")
        }
        XCTAssertEqual(delay, 0.1, accuracy: 0.001, "backoff starts over after a successful subscription")
    }

    func testDelaysGrowWhileTheMasterStaysDown() {
        var policy = ReconnectPolicy(master: "m:5050", initialBackoff: 0.1, maximumBackoff: 1)
        var delays: [Double] = []
        for _ in 0..<6 {
            if case .retry(_, let delay, _) = policy.next(after: .unreachable(message: "refused"), random: 0.999_999) {
                delays.append(delay)
            }
        }
        XCTAssertEqual(delays.map { ($0 * 100).rounded() / 100 }, [0.1, 0.2, 0.4, 0.8, 1, 1])
    }

    func testRedirectSwitchesMasterImmediately() {
        var policy = ReconnectPolicy(master: "standby:5050", initialBackoff: 0.1, maximumBackoff: 1)
        XCTAssertEqual(policy.next(after: .redirected(location: "//leader:5051/api/v1/scheduler"), random: 0.5),
                       .retry(master: "leader:5051", delay: 0, notice: nil))
        XCTAssertEqual(policy.master, "leader:5051")
    }

    func testRedirectLoopsBackOff() {
        var policy = ReconnectPolicy(master: "a:1", initialBackoff: 0.1, maximumBackoff: 1)
        var delays: [Double] = []
        for index in 0..<5 {
            if case .retry(_, let delay, _) = policy.next(after: .redirected(location: "//b:\(index)"), random: 0.5) {
                delays.append(delay)
            }
        }
        XCTAssertEqual(delays.prefix(3), [0, 0, 0])
        XCTAssertTrue(delays.dropFirst(3).allSatisfy { $0 > 0 })
    }

    func testErrorsEndTheSubscription() {
        var policy = ReconnectPolicy(master: "m:1", initialBackoff: 0.1, maximumBackoff: 1)
        XCTAssertEqual(policy.next(after: .errorEvent, random: 0), .finish(error: nil))
        XCTAssertEqual(policy.next(after: .stopped, random: 0), .finish(error: nil))
        guard case .finish(let message?) = policy.next(after: .rejected(status: 400, message: "bad role"), random: 0) else {
            return XCTFail("a 4xx is final")
        }
        XCTAssertTrue(message.contains("bad role") && message.contains("400"), message)
        guard case .retry = policy.next(after: .rejected(status: 500, message: "oops"), random: 0) else {
            return XCTFail("a 5xx is retried")
        }
        guard case .retry = policy.next(after: .unavailable(message: "No leader elected"), random: 0) else {
            return XCTFail("503 is retried")
        }
    }

    func testMasterAddressForms() {
        XCTAssertEqual(MasterAddress.normalize("127.0.0.1:5050"), "127.0.0.1:5050")
        XCTAssertEqual(MasterAddress.normalize("//leader:5051/api/v1/scheduler"), "leader:5051")
        XCTAssertEqual(MasterAddress.normalize("http://leader:5051/master"), "leader:5051")
        XCTAssertEqual(MasterAddress.normalize(" master.example "), "master.example:5050")
        XCTAssertEqual(MasterAddress.normalize("[::1]:5050"), "[::1]:5050")
        XCTAssertNil(MasterAddress.normalize(""))
    }
}
