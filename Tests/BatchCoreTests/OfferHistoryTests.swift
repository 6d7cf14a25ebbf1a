import BatchCore
import XCTest

final class OfferHistoryTests: XCTestCase {
    private func offer(_ agent: String, cpus: Double, mem: Double = 4096) -> OfferView {
        OfferView(offerID: "o-\(agent)", agentID: agent, hostname: agent, cpus: cpus, memMB: mem)
    }

    /// A job whose tasks fit no agent says so, counted per agent, as a pending pod does.
    func testSaysWhyTasksWaitWhenNoAgentOfferedEnough() {
        var history = OfferHistory()
        XCTAssertEqual(history.reasonWaiting(cpus: 1, memMB: 128, now: 0),
                       "no offers from the master in the last 120 s (other frameworks may hold the cluster); a task needs 1 cpus and 128 MB")
        history.saw([offer("a1", cpus: 0.8), offer("a2", cpus: 0.8)], now: 10)
        history.saw([offer("a3", cpus: 4, mem: 64)], now: 11)
        XCTAssertEqual(history.reasonWaiting(cpus: 1, memMB: 128, now: 12),
                       "0/3 agents offered enough: 2 insufficient cpus, 1 insufficient memory; a task needs 1 cpus and 128 MB")
        XCTAssertNil(history.reasonWaiting(cpus: 0.5, memMB: 32, now: 12), "a task that fits somewhere waits its turn")
        history.saw([offer("a2", cpus: 2)], now: 20)
        XCTAssertNil(history.reasonWaiting(cpus: 1, memMB: 128, now: 21), "a2 has room now")
        history.saw([offer("a2", cpus: 0.5)], now: 22)
        XCTAssertNotNil(history.reasonWaiting(cpus: 1, memMB: 128, now: 23), "the latest offer counts: others took the rest")
    }

    /// Agents not offered lately are forgotten, and with them their old, bigger offers.
    func testForgetsAgentsNotOfferedLately() {
        var history = OfferHistory(memory: 60)
        history.saw([offer("a1", cpus: 8)], now: 0)
        history.saw([offer("a2", cpus: 0.5)], now: 100)
        XCTAssertEqual(history.reasonWaiting(cpus: 1, memMB: 128, now: 101),
                       "0/1 agents offered enough: 1 insufficient cpus; a task needs 1 cpus and 128 MB")
        history.saw([offer("a1", cpus: 0.5)], now: 102)
        XCTAssertEqual(history.reasonWaiting(cpus: 1, memMB: 128, now: 103),
                       "0/2 agents offered enough: 2 insufficient cpus; a task needs 1 cpus and 128 MB")
    }
}
