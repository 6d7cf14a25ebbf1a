import Glibc

/// One agent's claim on a subnet of the pod CIDR, as stored in its claims file.
public struct SubnetClaim: Sendable, Equatable {
    public var subnet: IPv4Subnet
    public var agentID: String
    public var pid: pid_t
    /// The claimer's start time (clock ticks since boot, `/proc/PID/stat` field 22), so a pid reused
    /// by another process is not mistaken for a live claimer; nil when unknown.
    public var startTime: UInt64?

    public init(subnet: IPv4Subnet, agentID: String, pid: pid_t, startTime: UInt64?) {
        self.subnet = subnet
        self.agentID = agentID
        self.pid = pid
        self.startTime = startTime
    }

    /// The file name of a subnet's claim (`10.88.1.0_24`).
    static func fileName(_ subnet: IPv4Subnet) -> String {
        "\(subnet.network)_\(subnet.prefixLength)"
    }

    var fileText: String {
        "agent=\(agentID)\npid=\(pid)\n" + (startTime.map { "start=\($0)\n" } ?? "")
    }

    /// Parses a claims file; nil when it is not one of ours.
    init?(fileName: String, text: String) {
        let parts = fileName.split(separator: "_")
        guard parts.count == 2, let subnet = IPv4Subnet("\(parts[0])/\(parts[1])") else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let agent = fields["agent"], let pidText = fields["pid"], let pid = pid_t(pidText) else { return nil }
        self.init(subnet: subnet, agentID: agent, pid: pid, startTime: fields["start"].flatMap { UInt64($0) })
    }

    /// Whether the claiming process still runs (and is the same process, not a reused pid).
    var claimerIsAlive: Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let recorded = startTime, let current = SubnetClaim.startTime(of: pid) else { return true }
        return recorded == current
    }

    /// A process's start time from `/proc/PID/stat`; nil when unreadable.
    static func startTime(of pid: pid_t) -> UInt64? {
        guard let text = ClaimFiles.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); the start time is field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
