import FairwayHTTP
import Foundation

/// The pods framework in a process cluster, and kubectl pointed at it.
extension ProcessCluster {
    /// Starts (or restarts, with the same work dir and port) `fairway pods`, writes a kubeconfig for
    /// it and waits until its API answers. Returns the API's address.
    @discardableResult
    public func startPods(extra: [String] = []) async throws -> String {
        let port = try podsPort ?? FreePort.pick()
        podsPort = port
        podsProcess = try launch(["pods", "--master", master, "--ip", "127.0.0.1", "--api-port", String(port),
                                  "--work-dir", root.appendingPathComponent("pods").path,
                                  "--log-level", "debug"] + extra, log: "pods")
        let address = "127.0.0.1:\(port)"
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fairway
          cluster: {server: "http://\(address)"}
        users:
        - name: fairway
          user: {}
        contexts:
        - name: fairway
          context: {cluster: fairway, user: fairway, namespace: default}
        current-context: fairway

        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        try await waitUntil("the Kubernetes API answers /healthz", timeout: 30) {
            (try? await HTTPCalls.get("http://\(address)/healthz", timeout: .seconds(2)))?.status == .ok
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
