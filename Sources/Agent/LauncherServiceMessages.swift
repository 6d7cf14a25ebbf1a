/// One task for the launcher service to start: everything the forked child needs before it
/// `exec`s, already resolved by the agent (cgroups created, sandbox made, environment built).
public struct LaunchRequest: Sendable, Equatable {
    /// The container id: names the task to the service, in replies and after an agent restart.
    public var id: String
    public var command: TaskCommand
    /// `NAME=value` entries: the task's whole environment (the service's own is not inherited).
    public var environment: [String]
    /// The working directory; the launch error file goes here too.
    public var sandbox: String
    /// Files opened for appending as the task's stdout and stderr.
    public var stdoutPath: String
    public var stderrPath: String
    /// `cgroup.procs` files the child writes its pid into before `exec`.
    public var cgroupProcsFiles: [String]

    public init(id: String, command: TaskCommand, environment: [String], sandbox: String,
                stdoutPath: String, stderrPath: String, cgroupProcsFiles: [String]) {
        self.id = id
        self.command = command
        self.environment = environment
        self.sandbox = sandbox
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.cgroupProcsFiles = cgroupProcsFiles
    }
}

/// What the agent sends its launcher service.
enum LauncherServiceRequest: Sendable, Equatable {
    /// Fork and start a task; answered by `started` or `failed`, later `exited`.
    case launch(LaunchRequest)
    /// The agent has recorded these exits durably (or does not care about them): forget them.
    case acknowledge([String])
    /// Kill every task still running, reap them, and exit (the agent is stopping for good).
    case shutdown
}

/// What the launcher service tells its agent.
enum LauncherServiceReply: Sendable, Equatable {
    /// The first message on every connection: what the service runs and what ended meanwhile.
    case snapshot(LauncherServiceSnapshot)
    case started(id: String, pid: Int32)
    /// The task could not be started at all (fork failed, id already in use, service stopping).
    /// Failures of the child before `exec` are reported as an exit with status 127 and the
    /// sandbox's launch error file, as with the other launchers.
    case failed(id: String, message: String)
    /// The task's process ended; `status` is the raw `waitpid` status word.
    case exited(id: String, pid: Int32, status: Int32)
}

/// The service's state as a newly connected agent sees it.
struct LauncherServiceSnapshot: Sendable, Equatable {
    struct Running: Sendable, Equatable {
        var id: String
        var pid: Int32
    }

    struct Exited: Sendable, Equatable {
        var id: String
        var pid: Int32
        var status: Int32
    }

    /// Bumped when the format changes, so an agent never misreads an older service.
    var protocolVersion: UInt32 = LauncherServiceSnapshot.currentProtocolVersion
    var servicePid: Int32
    var running: [Running] = []
    /// Exits not yet acknowledged by any agent, oldest first.
    var exited: [Exited] = []

    static let currentProtocolVersion: UInt32 = 1
}

extension LauncherServiceRequest {
    private enum Kind: UInt8 {
        case launch = 1, acknowledge = 2, shutdown = 3
    }

    /// The request as one frame.
    func frame() -> [UInt8] {
        switch self {
        case .launch(let request):
            var encoder = LauncherWire.Encoder(kind: Kind.launch.rawValue)
            encoder.string(request.id)
            encoder.string(request.command.program)
            encoder.u8(request.command.searchPath ? 1 : 0)
            encoder.strings(request.command.arguments)
            encoder.strings(request.environment)
            encoder.string(request.sandbox)
            encoder.string(request.stdoutPath)
            encoder.string(request.stderrPath)
            encoder.strings(request.cgroupProcsFiles)
            return encoder.frame()
        case .acknowledge(let ids):
            var encoder = LauncherWire.Encoder(kind: Kind.acknowledge.rawValue)
            encoder.strings(ids)
            return encoder.frame()
        case .shutdown:
            return LauncherWire.Encoder(kind: Kind.shutdown.rawValue).frame()
        }
    }

    init(payload: [UInt8]) throws(LauncherWire.DecodingError) {
        var decoder = LauncherWire.Decoder(payload: payload)
        let kind = try decoder.u8()
        switch Kind(rawValue: kind) {
        case .launch:
            let id = try decoder.string()
            let program = try decoder.string()
            let searchPath = try decoder.u8() != 0
            let arguments = try decoder.strings()
            self = .launch(LaunchRequest(
                id: id, command: TaskCommand(program: program, arguments: arguments, searchPath: searchPath),
                environment: try decoder.strings(), sandbox: try decoder.string(), stdoutPath: try decoder.string(),
                stderrPath: try decoder.string(), cgroupProcsFiles: try decoder.strings()))
        case .acknowledge:
            self = .acknowledge(try decoder.strings())
        case .shutdown:
            self = .shutdown
        case nil:
            throw LauncherWire.DecodingError(description: "unknown request kind \(kind)")
        }
    }
}

extension LauncherServiceReply {
    private enum Kind: UInt8 {
        case snapshot = 1, started = 2, failed = 3, exited = 4
    }

    /// The reply as one frame.
    func frame() -> [UInt8] {
        switch self {
        case .snapshot(let snapshot):
            var encoder = LauncherWire.Encoder(kind: Kind.snapshot.rawValue)
            encoder.u32(snapshot.protocolVersion)
            encoder.i32(snapshot.servicePid)
            encoder.u32(UInt32(snapshot.running.count))
            for entry in snapshot.running {
                encoder.string(entry.id)
                encoder.i32(entry.pid)
            }
            encoder.u32(UInt32(snapshot.exited.count))
            for entry in snapshot.exited {
                encoder.string(entry.id)
                encoder.i32(entry.pid)
                encoder.i32(entry.status)
            }
            return encoder.frame()
        case .started(let id, let pid):
            var encoder = LauncherWire.Encoder(kind: Kind.started.rawValue)
            encoder.string(id)
            encoder.i32(pid)
            return encoder.frame()
        case .failed(let id, let message):
            var encoder = LauncherWire.Encoder(kind: Kind.failed.rawValue)
            encoder.string(id)
            encoder.string(message)
            return encoder.frame()
        case .exited(let id, let pid, let status):
            var encoder = LauncherWire.Encoder(kind: Kind.exited.rawValue)
            encoder.string(id)
            encoder.i32(pid)
            encoder.i32(status)
            return encoder.frame()
        }
    }

    init(payload: [UInt8]) throws(LauncherWire.DecodingError) {
        var decoder = LauncherWire.Decoder(payload: payload)
        let kind = try decoder.u8()
        switch Kind(rawValue: kind) {
        case .snapshot:
            let version = try decoder.u32()
            guard version == LauncherServiceSnapshot.currentProtocolVersion else {
                throw LauncherWire.DecodingError(description: "the launcher service speaks protocol version \(version), this agent \(LauncherServiceSnapshot.currentProtocolVersion)")
            }
            var snapshot = LauncherServiceSnapshot(protocolVersion: version, servicePid: try decoder.i32())
            for _ in 0..<(try decoder.u32()) {
                snapshot.running.append(.init(id: try decoder.string(), pid: try decoder.i32()))
            }
            for _ in 0..<(try decoder.u32()) {
                snapshot.exited.append(.init(id: try decoder.string(), pid: try decoder.i32(), status: try decoder.i32()))
            }
            self = .snapshot(snapshot)
        case .started:
            self = .started(id: try decoder.string(), pid: try decoder.i32())
        case .failed:
            self = .failed(id: try decoder.string(), message: try decoder.string())
        case .exited:
            self = .exited(id: try decoder.string(), pid: try decoder.i32(), status: try decoder.i32())
        case nil:
            throw LauncherWire.DecodingError(description: "unknown reply kind \(kind)")
        }
    }
}
