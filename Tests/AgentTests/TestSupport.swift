import Agent
import FairwayCore
import FairwayProto
import Foundation
import Glibc
import Logging
import XCTest

/// Builds the messages the master would send.
enum Events {
    static func framework(_ id: String = "fw-1", capabilities: [Fairway_V1_FrameworkInfo.Capability.TypeEnum] = []) -> Fairway_V1_FrameworkInfo {
        var info = Fairway_V1_FrameworkInfo()
        info.id.value = id
        info.name = "test framework"
        info.user = "root"
        info.capabilities = capabilities.map { type in
            var capability = Fairway_V1_FrameworkInfo.Capability()
            capability.type = type
            return capability
        }
        return info
    }

    static func task(_ id: String, shell: String? = nil, program: String? = nil, arguments: [String] = [],
                     environment: [String: String] = [:], cpus: Double = 0.5, mem: Double = 64,
                     gracePeriod: Double? = nil) -> Fairway_V1_TaskInfo {
        var task = Fairway_V1_TaskInfo()
        task.name = "task \(id)"
        task.taskID.value = id
        task.agentID.value = "agent-1"
        task.resources = Resources(scalars: ["cpus": cpus, "mem": mem]).proto()
        if let shell {
            task.command.value = shell
        } else if let program {
            task.command.shell = false
            task.command.value = program
            task.command.arguments = arguments
        }
        task.command.environment.variables = environment.sorted { $0.key < $1.key }.map { name, value in
            var variable = Fairway_V1_Environment.Variable()
            variable.name = name
            variable.value = value
            return variable
        }
        if let gracePeriod { task.killPolicy.gracePeriod.nanoseconds = Int64(gracePeriod * 1e9) }
        return task
    }

    static func run(_ tasks: Fairway_V1_TaskInfo..., framework: Fairway_V1_FrameworkInfo = framework()) -> Fairway_Internal_AgentEvent {
        var event = Fairway_Internal_AgentEvent()
        event.type = .runTasks
        event.runTasks.runs = tasks.map { task in
            var run = Fairway_Internal_RunTask()
            run.frameworkInfo = framework
            run.task = task
            return run
        }
        return event
    }

    static func runGroup(executorID: String, _ tasks: [Fairway_V1_TaskInfo], framework: Fairway_V1_FrameworkInfo = framework()) -> Fairway_Internal_AgentEvent {
        var event = Fairway_Internal_AgentEvent()
        event.type = .runTasks
        var run = Fairway_Internal_RunTask()
        run.frameworkInfo = framework
        run.executor.executorID.value = executorID
        run.executor.type = .default
        run.executor.frameworkID = framework.id
        run.taskGroup.tasks = tasks
        event.runTasks.runs = [run]
        return event
    }

    static func kill(_ taskID: String, frameworkID: String = "fw-1", gracePeriod: Double? = nil) -> Fairway_Internal_AgentEvent {
        var event = Fairway_Internal_AgentEvent()
        event.type = .killTask
        event.killTask.frameworkID.value = frameworkID
        event.killTask.taskID.value = taskID
        if let gracePeriod { event.killTask.killPolicy.gracePeriod.nanoseconds = Int64(gracePeriod * 1e9) }
        return event
    }

    static func acknowledge(_ update: Fairway_Internal_StatusUpdate) -> Fairway_Internal_AgentEvent {
        acknowledge(frameworkID: update.frameworkID.value, taskID: update.status.taskID.value, uuid: update.status.uuid)
    }

    static func acknowledge(frameworkID: String, taskID: String, uuid: Data) -> Fairway_Internal_AgentEvent {
        var event = Fairway_Internal_AgentEvent()
        event.type = .acknowledge
        var ack = Fairway_Internal_AgentEvent.Acknowledge()
        ack.frameworkID.value = frameworkID
        ack.taskID.value = taskID
        ack.uuid = uuid
        event.acknowledgements = [ack]
        return event
    }

    static func simple(_ type: Fairway_Internal_AgentEvent.TypeEnum) -> Fairway_Internal_AgentEvent {
        var event = Fairway_Internal_AgentEvent()
        event.type = type
        return event
    }
}

/// Temp work dirs, agents wired to a fake master and the real launcher, and condition waits.
class AgentTestCase: XCTestCase {
    private var directories: [String] = []
    private var agents: [AgentService] = []

    /// The `fairway` executable built next to the test bundle (or `$FAIRWAY_LAUNCHER`): it provides
    /// the launcher mode.
    static var launcherExecutable: String {
        if let path = ProcessInfo.processInfo.environment["FAIRWAY_LAUNCHER"] { return path }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("fairway").path
    }

    /// `$FAIRWAY_TEST_LAUNCH`: `service` (the default), `fairway` or `shell`.
    static var launchMethod: LaunchMethod {
        switch ProcessInfo.processInfo.environment["FAIRWAY_TEST_LAUNCH"] {
        case "shell": .shell
        case "fairway": .launcherMode
        default: .service
        }
    }

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairway-agent-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        directories.append(path)
        return path
    }

    func makeAgent(workDirectory: String, master: FakeMaster, cgroups: Bool = true,
                   configure: (inout AgentOptions) -> Void = { _ in }) async throws -> AgentService {
        let method = Self.launchMethod
        guard method == .shell || FileManager.default.isExecutableFile(atPath: Self.launcherExecutable) else {
            throw XCTSkip("the fairway executable (launcher modes) is not built at \(Self.launcherExecutable); run `swift build --product fairway` first")
        }
        var options = AgentOptions(master: "fake-master:5050", workDirectory: workDirectory, ip: "127.0.0.1", port: 0,
                                   resources: try Resources(parsing: "cpus:2;mem:1024;disk:1000;ports:[31000-31010]"),
                                   cgroupsEnabled: cgroups)
        options.launcherExecutable = Self.launcherExecutable
        options.launchMethod = method
        options.updateBatchWindow = 0.001
        options.reconnectInitialDelay = 0.01
        options.reconnectMaximumDelay = 0.05
        configure(&options)
        var logger = Logger(label: "fairway.agent.test")
        logger.logLevel = ProcessInfo.processInfo.environment["FAIRWAY_TEST_LOG"] != nil ? .debug : .critical
        let agent = try AgentService(options: options, logger: logger, masterLink: master)
        agents.append(agent)
        try await agent.start()
        return agent
    }

    override func tearDown() async throws {
        for agent in agents { await agent.shutdown(killTasks: true) }
        agents = []
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        directories = []
        try await super.tearDown()
    }

    /// Polls `probe` until it returns a value or `timeout` seconds pass (then fails the test).
    @discardableResult
    func eventually<T>(_ what: String, timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line,
                       _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let value = try await probe() { return value }
            if Date() > deadline {
                XCTFail("timed out waiting for \(what)", file: file, line: line)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the first update of `taskID` in a terminal state.
    func terminalUpdate(_ taskID: String, on master: FakeMaster, timeout: Double = 30,
                        file: StaticString = #filePath, line: UInt = #line) async throws -> Fairway_Internal_StatusUpdate {
        try await eventually("a terminal update of \(taskID)", timeout: timeout, file: file, line: line) {
            master.updates(for: taskID).first { $0.status.state.isTerminal }
        }
    }

    /// Waits until a task is completed (its terminal update acknowledged) and returns it.
    func completedTask(_ taskID: String, on agent: AgentService, frameworkID: String = "fw-1",
                       file: StaticString = #filePath, line: UInt = #line) async throws -> AgentTask {
        try await eventually("task \(taskID) to be completed", file: file, line: line) {
            await agent.state.completedTask(TaskKey(frameworkID: frameworkID, taskID: taskID))
        }
    }

    /// Waits until the agent has registered (REGISTERED handled).
    func registered(_ agent: AgentService) async throws {
        try await eventually("the agent to register") { await agent.isRegistered ? true : nil }
    }

    func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
}
