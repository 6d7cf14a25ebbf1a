import FairwayCore
import FairwayHTTP
import Foundation

/// The pods framework in a process cluster, and kubectl pointed at it.
extension ProcessCluster {
    /// HTTPS for `startPods`: PEM certificate and key files, and the certificate's base64 for the
    /// kubeconfig's `certificate-authority-data` (a self-signed certificate is its own CA).
    public struct PodsTLS: Sendable {
        public var certificate: String
        public var key: String
        public var authorityData: String

        public init(certificate: String, key: String, authorityData: String) {
            self.certificate = certificate
            self.key = key
            self.authorityData = authorityData
        }
    }

    /// Starts (or restarts, with the same work dir and port) `fairway pods`, writes a kubeconfig for
    /// it (with the token and CA when given) and waits until its API answers. Returns the API's address.
    @discardableResult
    public func startPods(extra: [String] = [], tls: PodsTLS? = nil, token: String? = nil) async throws -> String {
        let port = try podsPort ?? FreePort.pick()
        podsPort = port
        var arguments = ["pods", "--master", master, "--ip", "127.0.0.1", "--api-port", String(port),
                         "--work-dir", root.appendingPathComponent("pods").path, "--log-level", "debug"]
        if let tls { arguments += ["--tls-cert", tls.certificate, "--tls-key", tls.key] }
        if let token { arguments += ["--token", token] }
        podsProcess = try launch(arguments + extra, log: "pods")
        let address = "127.0.0.1:\(port)"
        let cluster = tls.map { "{server: \"https://\(address)\", certificate-authority-data: \($0.authorityData)}" }
            ?? "{server: \"http://\(address)\"}"
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fairway
          cluster: \(cluster)
        users:
        - name: fairway
          user: \(token.map { "{token: \($0)}" } ?? "{}")
        contexts:
        - name: fairway
          context: {cluster: fairway, user: fairway, namespace: default}
        current-context: fairway

        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        if tls == nil {
            try await waitUntil("the Kubernetes API answers /healthz", timeout: 30) {
                (try? await HTTPCalls.get("http://\(address)/healthz", timeout: .seconds(2)))?.status == .ok
            }
        } else {
            try await waitUntil("the Kubernetes API answers /healthz over HTTPS", timeout: 30, interval: 0.3) {
                (try? self.kubectl(["get", "--raw", "/healthz"], timeout: 10))?.output == "ok"
            }
        }
        return address
    }

    public func killPods(signal: Int32 = SIGKILL) {
        guard let process = podsProcess else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        podsProcess = nil
    }

    public var kubeconfig: URL { root.appendingPathComponent("kubeconfig") }

    /// A pod network of this cluster's own — bridge, pod CIDR, service CIDR, claims directory — so
    /// tests never touch a dev cluster's `fairway0`. Pass `agentArguments` to every agent and
    /// `podsArguments` to `startPods`; `removePodNetwork()` deletes the bridge afterwards.
    public struct TestPodNetwork: Sendable {
        public var bridge: String
        public var podCIDR: String
        public var serviceCIDR: String
        public var claims: String

        public var agentArguments: [String] {
            ["--pod-bridge", bridge, "--pod-cidr", podCIDR, "--pod-network-claims", claims]
        }

        public var podsArguments: [String] {
            ["--bridge", bridge, "--pod-cidr", podCIDR, "--service-cidr", serviceCIDR]
        }
    }

    /// Bridge `fwi` + 4 hex digits, pod CIDR 10.(200+n).0.0/16, service CIDR 10.(210+n).0.0/16.
    public func testPodNetwork() -> TestPodNetwork {
        let n = Int(getpid()) % 10
        let suffix = String(format: "%04x", Int(getpid()) & 0xffff)
        return TestPodNetwork(bridge: "fwi" + suffix, podCIDR: "10.\(200 + n).0.0/16", serviceCIDR: "10.\(210 + n).0.0/16",
                              claims: root.appendingPathComponent("pod-network-claims").path)
    }

    /// Deletes the test bridge (its pods' namespaces go with their agents).
    public func removePodNetwork(_ network: TestPodNetwork) {
        _ = try? runProcess("/usr/sbin/ip", ["link", "del", network.bridge])
    }

    func runProcess(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `kubectl` (the one on PATH unless `binary` names another) against the pods framework,
    /// with a discovery cache of its own; kills it after `timeout` seconds.
    public func kubectl(_ arguments: [String], binary: String = "kubectl", input: String? = nil,
                        timeout: Double = 60) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [binary, "--kubeconfig", kubeconfig.path,
                             "--cache-dir", root.appendingPathComponent("kube-cache-\(URL(fileURLWithPath: binary).lastPathComponent)").path]
            + arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

extension ProcessCluster {
    /// Deletes the network namespaces (and their `/etc/netns` files) of the pods this cluster's
    /// agents ran. Agents killed with SIGKILL leave them behind on purpose — a restarted agent
    /// recovers its pods into them — but a test cluster's agents never come back.
    func removePodNamespaces() {
        guard let agents = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        let prefixes = agents.filter { $0.hasPrefix("agent") }.compactMap { agent -> String? in
            guard let resolved = realpath(root.appendingPathComponent(agent).path, nil) else { return nil }
            defer { free(resolved) }
            // The agent's tag: the first 8 hex digits of FNV-1a of its work dir's real path.
            return "fwpod-" + StableHash.fnv1a(String(cString: resolved)).prefix(8) + "-"
        }
        guard !prefixes.isEmpty else { return }
        // An `ip netns add …` the killed agent had started may still be running: it goes first, or
        // it could create a namespace after the list below.
        ProcessSweep.kill { process in prefixes.contains { process.command.contains($0) } }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/run/netns") else { return }
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            _ = try? runProcess("/usr/sbin/ip", ["netns", "del", name])
            try? FileManager.default.removeItem(atPath: "/etc/netns/" + name)
        }
    }
}
