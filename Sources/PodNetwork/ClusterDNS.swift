import Glibc
import Logging
import NIOPosix
import Spawning

/// Cluster DNS for the pod network: Debian's dnsmasq listening on the bridge address only, answering
/// `NAME.NAMESPACE.svc.<domain>` from hosts files we write, NXDOMAIN for other names in the
/// cluster domain, and forwarding nothing anywhere (`--no-resolv`). Pods find it through the
/// `resolv.conf` from `resolvConf(namespace:bridgeIP:)`, whose search list makes `web` and
/// `web.default` resolve too.
public actor ClusterDNS {
    public nonisolated let configuration: Configuration
    private let logger: Logger
    private var process: DnsmasqProcess?
    /// The records file last written, to skip rewriting identical content.
    private var written: String?

    public init(configuration: Configuration, logger: Logger = Logger(label: "fairway.cluster-dns")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether dnsmasq is running.
    public var isRunning: Bool { process.map { !$0.hasExited } ?? false }

    /// The pid of the running dnsmasq.
    public var pid: Int32? { isRunning ? process?.pid : nil }

    /// Starts dnsmasq (stopping a leftover of ours from a previous run first) and waits until it
    /// answers. The bridge must already hold `listenAddress`.
    public func start() async throws(PodNetworkError) {
        if isRunning { return }
        let config = configuration
        guard access(config.dnsmasqPath, X_OK) == 0 else {
            throw PodNetworkError(.dnsmasqMissing,
                                  "dnsmasq is not installed (\(config.dnsmasqPath) missing): install Debian's package with `apt-get install -y --no-install-recommends dnsmasq`")
        }
        try ClaimFiles.makeDirectories(config.hostsDirectory)
        // dnsmasq re-reads the hosts files as `nobody`.
        _ = chmod(config.stateDirectory, 0o755)
        _ = chmod(config.hostsDirectory, 0o755)
        try Self.checkLocal(config.listenAddress)
        await stopLeftover()
        if written == nil { try writeRecords([:]) }
        let started = try DnsmasqProcess.start(config.dnsmasqArguments, logPath: config.logPath, logger: logger)
        process = started
        let deadline = ContinuousClock.now + config.startTimeout
        while true {
            if started.hasExited {
                process = nil
                throw PodNetworkError(.dnsmasqFailed, "dnsmasq exited at start: \(started.logTail)")
            }
            if await Self.answers(config), !started.hasExited { break }
            if ContinuousClock.now >= deadline {
                await started.stop()
                process = nil
                throw PodNetworkError(.dnsmasqFailed,
                                      "dnsmasq did not answer on \(config.listenAddress):\(config.port) within \(config.startTimeout): \(started.logTail)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        started.markReady()
        logger.info("cluster DNS started", metadata: [
            "pid": "\(started.pid)", "listen": "\(config.listenAddress):\(config.port)", "domain": "\(config.domain)"])
    }

    /// Replaces all records (fully qualified name → IPv4). The file is written beside and renamed
    /// in, so dnsmasq never reads half a file; it picks the change up at once.
    public func apply(records: [String: String]) throws(PodNetworkError) {
        var parsed: [String: IPv4Address] = [:]
        for (name, ip) in records {
            let fqdn = try ClusterDNS.normalize(name)
            parsed[fqdn] = try IPv4Address.parse(ip, what: "IP of DNS record \(name)")
        }
        try writeRecords(parsed)
    }

    /// Stops dnsmasq and removes its pid file (the records stay for the next start).
    public func shutdown() async {
        guard let running = process else { return }
        process = nil
        await running.stop()
        unlink(configuration.pidFile)
        logger.info("cluster DNS stopped", metadata: ["pid": "\(running.pid)"])
    }

    private func writeRecords(_ records: [String: IPv4Address]) throws(PodNetworkError) {
        var records = records
        records[configuration.probeName] = configuration.listenAddress
        let text = "# Written by Fairway: cluster DNS records.\n"
            + records.sorted { $0.key < $1.key }.map { "\($0.value)\t\($0.key)\n" }.joined()
        guard text != written else { return }
        try ClaimFiles.makeDirectories(configuration.hostsDirectory)
        try ClaimFiles.replace(configuration.hostsDirectory + "/records", text: text)
        written = text
    }

    /// Whether our dnsmasq answers: the probe record (which only our hosts files hold) resolves.
    private static func answers(_ config: Configuration) async -> Bool {
        let probe = { @Sendable () -> Bool in
            DNSQuery.ask(config.probeName, server: config.listenAddress, port: config.port)?.addresses == [config.listenAddress]
        }
        return (try? await NIOThreadPool.singleton.runIfActive(probe)) ?? false
    }

    /// Fails unless `address` is on this host (dnsmasq could not listen there, and a query to it
    /// would leave the machine).
    private static func checkLocal(_ address: IPv4Address) throws(PodNetworkError) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PodNetworkError(.io, "cannot create a socket: \(LinuxCalls.errorText(errno))") }
        defer { close(fd) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_addr.s_addr = address.value.bigEndian
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if bound != 0 && errno == EADDRNOTAVAIL {
            throw PodNetworkError(.dnsmasqFailed,
                                  "cannot start cluster DNS on \(address): no interface of this host has that address; create the pod bridge first (PodSandboxNetwork.ensureBridge)")
        }
    }

    /// Stops a dnsmasq of ours left running by a previous process (its pid file names it, and its
    /// command line names our hosts directory).
    private func stopLeftover() async {
        guard let text = ClaimFiles.read(configuration.pidFile), let pid = pid_t(text.trimmingWhitespace), pid > 1,
              let commandLine = ClaimFiles.read("/proc/\(pid)/cmdline"),
              commandLine.contains("dnsmasq"), commandLine.contains("--hostsdir=\(configuration.hostsDirectory)") else { return }
        logger.notice("stopping a dnsmasq left from an earlier run", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while kill(pid, 0) == 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        unlink(configuration.pidFile)
    }
}
