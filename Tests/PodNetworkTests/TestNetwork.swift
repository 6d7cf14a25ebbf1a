import Foundation
import Glibc
@testable import PodNetwork
import XCTest
import Spawning

/// A private pod network for one test, beside any dev cluster: its own bridge (`fwt` + 4 hex of
/// the pid), pod CIDR 10.244.0.0/16, namespace prefix and work directory. `cleanUp()` is
/// synchronous so tests call it from `defer`: it kills the processes the test started and removes
/// namespaces, veths, `/etc/netns` dirs, the bridge (with its addresses) and the work directory.
final class TestNetwork: @unchecked Sendable {
    let tag: String
    let configuration: PodNetworkConfiguration
    let network: PodSandboxNetwork
    let workDirectory: String
    private var processes: [pid_t] = []

    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    init() throws {
        try XCTSkipUnless(geteuid() == 0, "pod networking tests need root (network namespaces, bridges); run them as root")
        let hex = String(getpid() & 0xFFFF, radix: 16)
        tag = String(repeating: "0", count: 4 - hex.count) + hex
        var template = Array("/tmp/fwt-podnet-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PodNetworkError(.io, "cannot create a temporary directory") }
        workDirectory = String(cString: made)
        chmod(workDirectory, 0o755)  // dnsmasq reads the hosts files as nobody
        configuration = PodNetworkConfiguration(
            bridgeName: "fwt\(tag)", podCIDR: IPv4Subnet("10.244.0.0/16")!, claimsDirectory: workDirectory + "/claims",
            namespacePrefix: "fwt\(tag)-")
        network = PodSandboxNetwork(configuration: configuration)
        try ClaimFiles.replace(workDirectory + "/tool.py", text: TestNetwork.tool)
        cleanUpKernelObjects()  // leftovers of an earlier run that crashed
    }

    var bridgeIP: IPv4Address { configuration.bridgeAddress }

    /// A pod's IP in the test CIDR (10.244.1.N).
    func podIP(_ host: UInt32) -> IPv4Address { IPv4Address(value: 0x0AF4_0100 + host) }

    /// Starts `arguments` in the background (output in `<work>/<name>.log`); killed by `cleanUp`.
    @discardableResult
    func start(_ arguments: [String], name: String) throws -> pid_t {
        let log = open(workDirectory + "/\(name).log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(log) }
        let pid = try Spawn.start(arguments, stdout: log, stderr: log)
        processes.append(pid)
        return pid
    }

    /// Waits for a process started with `start` to end (blocking) and forgets it.
    func finish(_ pid: pid_t) -> Int32 {
        processes.removeAll { $0 == pid }
        return ChildSpawn.wait(pid)
    }

    /// Starts the test tool (`tool.py MODE ARGS…`) inside a pod.
    @discardableResult
    func startInPod(_ podID: String, _ mode: String, _ arguments: [String], name: String) throws -> pid_t {
        try start(network.commandPrefix(podID: podID) + [TestNetwork.python, workDirectory + "/tool.py", mode] + arguments, name: name)
    }

    /// Runs a command to completion.
    func run(_ arguments: [String]) async throws -> HostCommand.Result {
        try await HostCommand(arguments: arguments).run()
    }

    /// Runs a command inside a pod.
    func runInPod(_ podID: String, _ arguments: [String]) async throws -> HostCommand.Result {
        try await run(network.commandPrefix(podID: podID) + arguments)
    }

    /// Runs the test tool inside a pod.
    func toolInPod(_ podID: String, _ mode: String, _ arguments: [String]) async throws -> HostCommand.Result {
        try await runInPod(podID, [TestNetwork.python, workDirectory + "/tool.py", mode] + arguments)
    }

    /// `curl` a URL (from the host, or from a pod) and return the body, or nil on failure.
    func curl(_ url: String, fromPod podID: String? = nil) async throws -> String? {
        let arguments = ["/usr/bin/curl", "-s", "--max-time", "5", url]
        let result = if let podID { try await runInPod(podID, arguments) } else { try await run(arguments) }
        return result.succeeded ? result.output : nil
    }

    func processLog(_ name: String) -> String { ClaimFiles.read(workDirectory + "/\(name).log") ?? "" }

    func cleanUp() {
        for pid in processes {
            kill(pid, SIGKILL)
            _ = ChildSpawn.wait(pid)
        }
        processes = []
        cleanUpKernelObjects()
        _ = try? HostCommand(arguments: ["/bin/rm", "-rf", workDirectory]).runBlocking()
    }

    private func cleanUpKernelObjects() {
        let ip = configuration.ipPath
        let listed = (try? HostCommand(arguments: [ip, "netns", "list"]).runBlocking().output) ?? ""
        for line in listed.split(separator: "\n") {
            guard let name = line.split(separator: " ").first.map(String.init), name.hasPrefix(configuration.namespacePrefix) else { continue }
            _ = try? HostCommand(arguments: [ip, "link", "del", InterfaceNames.hostInterface(namespace: name)]).runBlocking()
            _ = try? HostCommand(arguments: [ip, "netns", "del", name]).runBlocking()
        }
        for name in ClaimFiles.list(configuration.netnsConfigDirectory) where name.hasPrefix(configuration.namespacePrefix) {
            try? ClaimFiles.removeFlatDirectory(configuration.netnsConfigDirectory + "/" + name)
        }
        _ = try? HostCommand(arguments: [ip, "link", "del", configuration.bridgeName]).runBlocking()
    }
}
