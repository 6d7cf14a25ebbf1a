import FairwayHTTP
@testable import FrameworkKit
import Logging
import XCTest

final class InspectionTests: XCTestCase {
    static let masterState = """
    {"id":"M1","version":"1.11.0","hostname":"head","pid":"master@127.0.0.1:5050","activated_slaves":2,
     "slaves":[
      {"id":"M1-S1","hostname":"127.0.0.1","port":AGENT_PORT,"pid":"slave(1)@127.0.0.1:AGENT_PORT","active":true,"registered_time":1700000000.5,
       "resources":{"cpus":2,"mem":2048,"disk":10000,"ports":"[31000-32000]"},"used_resources":{"cpus":0.5,"mem":128},
       "offered_resources":{"cpus":1.5,"mem":1920},"attributes":{"rack":"a","zone":1}},
      {"id":"M1-S2","hostname":"","port":5052,"pid":"slave(1)@10.0.0.2:5052","active":false,
       "resources":{"cpus":4,"mem":4096},"used_resources":{},"offered_resources":{},"attributes":{}, "unknown_field":[1,2]}],
     "frameworks":[
      {"id":"M1-0001","name":"fairway-example","user":"me","role":"*","roles":[],"active":true,"connected":true,
       "failover_timeout":60,"registered_time":1700000001,"used_resources":{"cpus":0.5,"mem":128},"offered_resources":{"cpus":1.5},
       "tasks":[{"id":"task-2","name":"task-2","framework_id":"M1-0001","executor_id":"","slave_id":"M1-S1","state":"TASK_RUNNING",
                 "resources":{"cpus":0.5,"mem":128},"statuses":[{"state":"TASK_RUNNING","timestamp":1700000002}]}],
       "completed_tasks":[{"id":"task-1","name":"task-1","framework_id":"M1-0001","slave_id":"M1-S1","state":"TASK_FINISHED",
                 "resources":{"cpus":0.5,"mem":128},"statuses":[{"state":"TASK_RUNNING","timestamp":1700000001},{"state":"TASK_FINISHED","timestamp":1700000003}]}],
       "offers":[{"id":"M1-O7","framework_id":"M1-0001","slave_id":"M1-S1","resources":{"cpus":1.5,"mem":1920,"ports":"[31000-32000]"}}]}],
     "completed_frameworks":[
      {"id":"M1-0000","name":"old","active":false,"connected":false,"tasks":[],
       "completed_tasks":[{"id":"task-1","framework_id":"M1-0000","slave_id":"M1-S1","state":"TASK_FAILED",
                 "statuses":[{"state":"TASK_FAILED","timestamp":1600000000}]}],"offers":[]}],
     "unregistered_frameworks":[]}
    """

    static let agentState = """
    {"frameworks":[{"id":"M1-0001","executors":[{"id":"task-2","directory":"/work/S1/task-2","tasks":[{"id":"task-2"}]},
                                                {"id":"pod-1","directory":"/work/S1/pod-1","tasks":[{"id":"p.web"},{"id":"p.side"}]}],
                    "completed_executors":[{"id":"task-1","directory":"/work/S1/task-1","completed_tasks":[{"id":"task-1"}]}]}],
     "completed_frameworks":[{"id":"M1-0000","executors":[],"completed_executors":[{"id":"task-1","directory":"/work/S1/old-task-1"}]}]}
    """

    func testMasterStateIsReadIntoRows() throws {
        let snapshot = try ClusterSnapshot.decode(Array(Self.masterState.replacingOccurrences(of: "AGENT_PORT", with: "5051").utf8))
        XCTAssertEqual(snapshot.id, "M1")
        XCTAssertEqual(snapshot.agents.count, 2)
        let agent = snapshot.agents[0]
        XCTAssertEqual(agent.address, "127.0.0.1:5051")
        XCTAssertEqual(agent.resources.cpus, 2)
        XCTAssertEqual(agent.usedResources.mem, 128)
        XCTAssertEqual(agent.attributesDescription, "rack:a;zone:1")
        XCTAssertEqual(snapshot.agents[1].address, "10.0.0.2:5052", "the pid's address")
        XCTAssertFalse(snapshot.agents[1].active)

        XCTAssertEqual(snapshot.frameworks.map(\.name), ["fairway-example"])
        XCTAssertEqual(snapshot.frameworks[0].roleDescription, "*")
        XCTAssertEqual(snapshot.tasks().map(\.id), ["task-2"])
        XCTAssertEqual(snapshot.tasks(includeCompleted: true).map(\.id), ["task-2", "task-1", "task-1"])
        XCTAssertEqual(snapshot.frameworks[0].offers.first?.resources.compactDescription, "cpus:1.5;mem:1.9G;ports:[31000-32000]")

        XCTAssertEqual(snapshot.task(id: "task-2")?.state, "TASK_RUNNING")
        XCTAssertEqual(snapshot.task(id: "task-1")?.frameworkID, "M1-0001", "the most recent of two completed tasks")
        XCTAssertEqual(snapshot.task(id: "task-1", frameworkID: "M1-0000")?.state, "TASK_FAILED")
        XCTAssertNil(snapshot.task(id: "nope"))
        XCTAssertTrue(snapshot.task(id: "task-1")?.isTerminal ?? false)
    }

    func testAgentStateFindsSandboxes() throws {
        let state = try AgentSnapshot.decode(Array(Self.agentState.utf8))
        XCTAssertEqual(state.sandboxDirectory(frameworkID: "M1-0001", executorID: "", taskID: "task-2"), "/work/S1/task-2")
        XCTAssertEqual(state.sandboxDirectory(frameworkID: "M1-0001", executorID: "task-1", taskID: "task-1"), "/work/S1/task-1")
        XCTAssertEqual(state.sandboxDirectory(frameworkID: "M1-0000", executorID: "", taskID: "task-1"), "/work/S1/old-task-1")
        XCTAssertNil(state.sandboxDirectory(frameworkID: "M1-0001", executorID: "", taskID: "task-9"))
        XCTAssertEqual(state.sandboxDirectory(frameworkID: "M1-0001", executorID: "pod-1", taskID: "p.side"), "/work/S1/pod-1/p.side",
                       "a task group member has its own directory inside the group's")
    }

    func testTableAlignsColumns() {
        var table = TextTable(headers: ["ID", "STATE", "CPUS"], rightAligned: [2])
        table.append(["task-1", "TASK_RUNNING", "0.5"])
        table.append(["task-10", "TASK_FINISHED\n", "12"])
        table.append(["short"])
        XCTAssertEqual(table.render(), """
        ID       STATE           CPUS
        task-1   TASK_RUNNING     0.5
        task-10  TASK_FINISHED     12
        short
        """)
    }

    func testQuantities() {
        XCTAssertEqual(QuantityFormat.number(2), "2")
        XCTAssertEqual(QuantityFormat.number(0.1 + 0.2), "0.3")
        XCTAssertEqual(QuantityFormat.number(1.23456), "1.235")
        XCTAssertEqual(QuantityFormat.megabytes(512), "512M")
        XCTAssertEqual(QuantityFormat.megabytes(1536), "1.5G")
        XCTAssertEqual(QuantityFormat.megabytes(2048), "2G")
    }

    func testInspectorReadsStateSandboxAndFiles() async throws {
        let handler = FakeCluster()
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, logger: Logger(label: "test.cluster"))
        defer { Task { await server.shutdown() } }
        await handler.configure(port: server.port)
        let inspector = ClusterInspector(master: "127.0.0.1:\(server.port)")

        let (snapshot, raw) = try await inspector.masterState()
        XCTAssertFalse(raw.isEmpty)
        let task = try XCTUnwrap(snapshot.task(id: "task-2"))
        let sandbox = try await inspector.sandbox(of: task, in: snapshot)
        XCTAssertEqual(sandbox, TaskSandbox(agentAddress: "127.0.0.1:\(server.port)", directory: "/work/S1/task-2"))
        let size = try await inspector.fileSize(sandbox.path("stdout"), on: sandbox.agentAddress)
        XCTAssertEqual(size, 12)
        let bytes = try await inspector.read(sandbox.path("stdout"), on: sandbox.agentAddress, offset: 6, length: 100)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "world\n")
        let requested = await handler.lastPath
        XCTAssertEqual(requested, "/work/S1/task-2/stdout")
    }

    func testUnreachableMasterSaysWhatToDo() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: FakeCluster(), logger: Logger(label: "test.cluster"))
        let port = server.port
        await server.shutdown()
        do {
            _ = try await ClusterInspector(master: "127.0.0.1:\(port)").masterState()
            XCTFail("nothing listens there")
        } catch let error as InspectionError {
            XCTAssertTrue(error.message.contains("cannot reach the master at 127.0.0.1:\(port)"), error.message)
            XCTAssertTrue(error.message.contains("connection refused"), error.message)
            XCTAssertTrue(error.message.contains("fairway dev"), error.message)
        }
    }
}

/// Serves a master's `/master/state`, an agent's `/state` and `/files/read` from one port.
actor FakeCluster: HTTPHandler {
    private var port = 0
    private(set) var lastPath: String?

    func configure(port: Int) { self.port = port }

    nonisolated func handle(_ request: HTTPRequest) async -> HTTPReply {
        await answer(request)
    }

    private func answer(_ request: HTTPRequest) -> HTTPReply {
        switch request.path {
        case "/master/state":
            let body = InspectionTests.masterState.replacingOccurrences(of: "AGENT_PORT", with: String(port))
            return .response(.json(Array(body.utf8)))
        case "/state":
            return .response(.json(Array(InspectionTests.agentState.utf8)))
        case "/files/read":
            let query = request.query
            lastPath = query["path"]
            let content = Array("hello\nworld\n".utf8)
            let offset = Int(query["offset"] ?? "0") ?? 0
            if offset < 0 { return .response(.json(Array("{\"data\":\"\",\"offset\":\(content.count)}".utf8))) }
            let length = Int(query["length"] ?? "") ?? content.count
            let slice = content[min(offset, content.count)..<min(content.count, offset + length)]
            let data = String(decoding: slice, as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
            return .response(.json(Array("{\"data\":\"\(data)\",\"offset\":\(offset)}".utf8)))
        default:
            return .response(.text(.notFound, "no route"))
        }
    }
}
