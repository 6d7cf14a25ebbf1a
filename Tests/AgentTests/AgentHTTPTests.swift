@testable import Agent
import FairwayHTTP
import Foundation
import XCTest

final class AgentHTTPTests: AgentTestCase {
    func testStateAndFilesOverHTTPFindATaskAndItsOutput() async throws {
        let master = FakeMaster(autoAcknowledge: false)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master)
        try await registered(agent)
        let port = await agent.port
        XCTAssertGreaterThan(port, 0)

        master.send(Events.run(Events.task("web", shell: "echo hello from the sandbox; sleep 300")))
        try await eventually("the task to run") { master.states(for: "web").contains(.taskRunning) ? true : nil }

        let health = try await HTTPCalls.get("http://127.0.0.1:\(port)/health")
        XCTAssertEqual(health.status, .ok)

        let stateReply = try await HTTPCalls.get("http://127.0.0.1:\(port)/state")
        let state = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stateReply.body)) as? [String: Any])
        XCTAssertEqual(state["id"] as? String, "agent-1")
        let resources = try XCTUnwrap(state["resources"] as? [String: Any])
        XCTAssertEqual(resources["cpus"] as? Int, 2)
        XCTAssertEqual(resources["ports"] as? String, "[31000-31010]")
        let frameworks = try XCTUnwrap(state["frameworks"] as? [[String: Any]])
        let executor = try XCTUnwrap((frameworks.first?["executors"] as? [[String: Any]])?.first)
        XCTAssertEqual(executor["id"] as? String, "web")
        let directory = try XCTUnwrap(executor["directory"] as? String)
        let task = try XCTUnwrap((executor["tasks"] as? [[String: Any]])?.first)
        XCTAssertEqual(task["state"] as? String, "TASK_RUNNING")
        XCTAssertEqual(task["framework_id"] as? String, "fw-1")

        let query = directory.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? directory
        let output = try await eventually("the task's output") { () -> String? in
            let reply = try await HTTPCalls.get("http://127.0.0.1:\(port)/files/read?path=\(query)/stdout&offset=0")
            let body = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            let data = body?["data"] as? String
            return data?.isEmpty == false ? data : nil
        }
        XCTAssertEqual(output, "hello from the sandbox\n")
        let refused = try await HTTPCalls.get("http://127.0.0.1:\(port)/files/read?path=\(query)/../../../agent.sqlite")
        XCTAssertEqual(refused.status, .forbidden)
    }
}
