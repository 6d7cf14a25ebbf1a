import FairwayHTTP
import FairwayTesting
import Foundation
import XCTest

/// The pods framework driven by the real kubectl: a master, two agents with the pod network, and
/// `fairway pods`, all real processes on loopback.
final class PodIntegrationTests: XCTestCase {
    private var cluster: ProcessCluster?
    private var network: ProcessCluster.TestPodNetwork?

    override func tearDown() {
        cluster?.shutdown()
        if let cluster, let network { cluster.removePodNetwork(network) }
        super.tearDown()
    }

    private func makeCluster(resources: String = "cpus:2;mem:2048;disk:10000;ports:[31000-32000]",
                             batch: Bool = false) async throws -> ProcessCluster {
        let cluster = try ProcessCluster(masterArguments: ["--agent-removal-timeout", "3"], logLevel: "info")
        self.cluster = cluster
        let network = cluster.testPodNetwork()
        self.network = network
        try await cluster.startMaster()
        // Names that do not resolve, as two agents on one machine may have: they are reached by IP.
        for index in 1...2 {
            try await cluster.startAgent(index: index, resources: resources, extra: network.agentArguments + ["--hostname", "node-\(index)"])
        }
        if batch { try await cluster.startBatch() }
        try await cluster.startPods(extra: network.podsArguments)
        return cluster
    }

    @discardableResult
    private func kubectl(_ cluster: ProcessCluster, _ arguments: String..., input: String? = nil, binary: String = "kubectl",
                         succeeds: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try cluster.kubectl(arguments, binary: binary, input: input)
        if succeeds {
            XCTAssertEqual(result.status, 0, "kubectl \(arguments.joined(separator: " ")): \(result.errors)", file: file, line: line)
            return result.output
        }
        XCTAssertNotEqual(result.status, 0, "kubectl \(arguments.joined(separator: " ")) should fail", file: file, line: line)
        return result.errors
    }

    /// Waits until `kubectl get pods -l SELECTOR` lists `count` pods, all Running.
    private func waitForRunning(_ cluster: ProcessCluster, selector: String, count: Int, binary: String = "kubectl",
                                timeout: Double = 60) async throws {
        try await waitUntil("\(count) pods \(selector) run", timeout: timeout, interval: 0.3) {
            let result = try cluster.kubectl(["get", "pods", "-l", selector, "-o",
                                              "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"], binary: binary)
            let phases = result.output.split(separator: "\n")
            return phases.count == count && phases.allSatisfy { $0 == "Running" }
        }
    }

    static let helloPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: hello
          labels: {app: hello}
        spec:
          containers:
          - name: main
            image: busybox
            command: ["/bin/sh", "-c", "echo hello from $(uname -n); echo and from its stderr >&2; exec sleep 600"]
            resources: {requests: {cpu: 100m, memory: 32Mi}}
        """

    static func webRC(replicas: Int, tier: String = "fe") -> String {
        """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: web
        spec:
          replicas: \(replicas)
          selector: {app: web}
          template:
            metadata:
              labels: {app: web, tier: \(tier)}
            spec:
              containers:
              - name: web
                image: nginx
                command: ["/bin/sh", "-c", "echo serving; exec sleep 600"]
                resources: {requests: {cpu: 100m, memory: 32Mi}}
        """
    }

    func testKubectlRunsPodsAndReplicationControllers() async throws {
        let cluster = try await makeCluster()
        let watcher = try WatchProcess(cluster: cluster, arguments: ["get", "pods", "-w"])
        defer { watcher.stop() }

        XCTAssertTrue(try kubectl(cluster, "create", "-f", "-", input: Self.helloPod).contains("pod/hello created"))
        try await waitForRunning(cluster, selector: "app=hello", count: 1)
        let wide = try kubectl(cluster, "get", "pods", "hello", "-o", "wide")
        XCTAssertTrue(wide.contains("NAME") && wide.contains("READY") && wide.contains("1/1") && wide.contains("Running"), wide)
        let ip = try kubectl(cluster, "get", "pod", "hello", "-o", "jsonpath={.status.podIP}")
        let cidrPrefix = cluster.testPodNetwork().podCIDR.split(separator: ".").prefix(2).joined(separator: ".") + "."
        XCTAssertTrue(ip.hasPrefix(cidrPrefix), "pod IP \(ip) from the pod CIDR")
        XCTAssertTrue(wide.contains(ip), wide)
        try await waitUntil("the pod's output, both streams in order, is in its log", timeout: 20) {
            try cluster.kubectl(["logs", "hello"]).output.contains("hello from hello\nand from its stderr\n")
        }

        XCTAssertTrue(try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 3)).contains("replicationcontroller/web created"))
        try await waitForRunning(cluster, selector: "app=web", count: 3)
        XCTAssertTrue(try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 3, tier: "front")).contains("configured"))
        XCTAssertTrue(try kubectl(cluster, "scale", "rc", "web", "--replicas=5").contains("scaled"))
        try await waitForRunning(cluster, selector: "app=web", count: 5)
        let wideList = try kubectl(cluster, "get", "pods", "-l", "app=web", "-o", "wide")
        XCTAssertEqual(wideList.split(separator: "\n").count, 6, wideList)
        let agents = try kubectl(cluster, "get", "pods", "-l", "app=web", "-o",
                                 "jsonpath={range .items[*]}{.metadata.annotations.fairway\\.io/agent-id}{\"\\n\"}{end}")
        XCTAssertEqual(Set(agents.split(separator: "\n")).count, 2, "replicas on both agents:\n\(agents)")
        let nodes = try kubectl(cluster, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}")
        XCTAssertEqual(Set(nodes.split(separator: " ")), ["node-1", "node-2"], "NODE is the agent's name")
        let slaves = try await cluster.masterState()["slaves"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(slaves.compactMap { ($0["pid"] as? String)?.split(separator: "@").last?.split(separator: ":").first }), ["127.0.0.1"],
                       "agents are reached at the address they serve on, not their names")
        XCTAssertTrue(try kubectl(cluster, "get", "rc", "web").contains("5         5"))

        let described = try kubectl(cluster, "describe", "pod", "hello")
        for expected in ["Status:", "Running", "IP:", ip, "Node:", "Scheduled", "Started"] where !expected.isEmpty {
            XCTAssertTrue(described.contains(expected), "describe shows \(expected):\n\(described)")
        }

        let names = try kubectl(cluster, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")
            .split(separator: " ").map(String.init)
        let victim = try XCTUnwrap(names.first)
        XCTAssertTrue(try kubectl(cluster, "delete", "pod", victim).contains("deleted"))
        try await waitUntil("the replication controller replaces \(victim)", timeout: 60, interval: 0.3) {
            let now = try cluster.kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"]).output
                .split(separator: " ").map(String.init)
            return now.count == 5 && !now.contains(victim)
        }
        try await waitForRunning(cluster, selector: "app=web", count: 5)

        XCTAssertTrue(try kubectl(cluster, "delete", "rc", "web").contains("deleted"))
        try await waitUntil("the replication controller's pods go", timeout: 60, interval: 0.3) {
            try cluster.kubectl(["get", "pods", "-l", "app=web", "-o", "name"]).output.isEmpty
        }
        try await waitUntil("kubectl get -w saw the changes", timeout: 20) {
            let seen = watcher.output
            return seen.contains("hello") && seen.contains(victim) && names.allSatisfy { seen.contains($0) }
        }
    }

    /// Debian's kubectl 1.20 (unpacked by the install script beside the kubectl on PATH) through the
    /// same steps: create, get with the IP, logs, apply twice, scale, delete.
    func testKubectl120RunsPodsAndReplicationControllers() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KubeAPITests/fetch-kubectl-1.20.sh").path
        let fetch = Process()
        fetch.executableURL = URL(fileURLWithPath: "/bin/bash")
        fetch.arguments = [script]
        let pipe = Pipe()
        fetch.standardOutput = pipe
        fetch.standardError = FileHandle.nullDevice
        try fetch.run()
        let binary = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        fetch.waitUntilExit()
        guard fetch.terminationStatus == 0, !binary.isEmpty else {
            throw XCTSkip("Debian's kubectl 1.20 could not be fetched (no network?); run scripts/install-deps")
        }
        let cluster = try await makeCluster()
        XCTAssertTrue(try kubectl(cluster, "version", "--client", binary: binary).contains("v1.20"))
        XCTAssertTrue(try kubectl(cluster, "create", "-f", "-", input: Self.helloPod, binary: binary).contains("pod/hello created"))
        try await waitForRunning(cluster, selector: "app=hello", count: 1, binary: binary)
        let ip = try kubectl(cluster, "get", "pod", "hello", "-o", "jsonpath={.status.podIP}", binary: binary)
        XCTAssertFalse(ip.isEmpty)
        XCTAssertTrue(try kubectl(cluster, "get", "pods", "-o", "wide", binary: binary).contains(ip))
        try await waitUntil("kubectl 1.20 reads the pod's log", timeout: 20) {
            try cluster.kubectl(["logs", "hello"], binary: binary).output.contains("hello from hello")
        }
        XCTAssertTrue(try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 2), binary: binary).contains("created"))
        XCTAssertTrue(try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 2, tier: "x"), binary: binary)
            .contains("configured"))
        XCTAssertTrue(try kubectl(cluster, "scale", "rc", "web", "--replicas=3", binary: binary).contains("scaled"))
        try await waitForRunning(cluster, selector: "app=web", count: 3, binary: binary)
        XCTAssertTrue(try kubectl(cluster, "delete", "rc", "web", binary: binary).contains("deleted"))
        XCTAssertTrue(try kubectl(cluster, "delete", "pod", "hello", binary: binary).contains("deleted"))
        try await waitUntil("every pod is gone", timeout: 60, interval: 0.3) {
            try cluster.kubectl(["get", "pods", "-o", "name"], binary: binary).output.isEmpty
        }
    }

    /// Pods and a batch job hold resources at the same time, and the fairness view shows both.
    func testPodsAndBatchJobsShareTheClusterUnderDRF() async throws {
        let cluster = try await makeCluster(batch: true)
        try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 4))
        try await waitForRunning(cluster, selector: "app=web", count: 4)
        let batch = try XCTUnwrap(cluster.batchPort)
        let submitted = try cluster.runFairway(["job", "submit", "array", "--batch", "127.0.0.1:\(batch)", "--count", "4",
                                                "--cpus", "0.5", "--mem", "64", "--", "sleep 60"])
        XCTAssertEqual(submitted.status, 0, submitted.errors)
        try await waitUntil("both frameworks hold resources", timeout: 60, interval: 0.3) {
            let frameworks = (try await cluster.masterState())["frameworks"] as? [[String: Any]] ?? []
            let holding = frameworks.filter { (($0["used_resources"] as? [String: Any])?["cpus"] as? Double ?? 0) > 0 }
            return Set(holding.compactMap { $0["name"] as? String }) == ["fairway-pods", "fairway-batch"]
        }
        let fairness = try cluster.runFairway(["fairness", "--master", cluster.master])
        XCTAssertEqual(fairness.status, 0, fairness.errors)
        XCTAssertTrue(fairness.output.contains("fairway-pods") && fairness.output.contains("fairway-batch"), fairness.output)
        XCTAssertTrue(fairness.output.contains("services") && fairness.output.contains("batch"), "both roles:\n\(fairness.output)")

        // A job whose tasks need a whole agent while pods and the first job hold part of each says why it waits.
        let big = try cluster.runFairway(["job", "submit", "array", "--batch", "127.0.0.1:\(batch)", "--count", "1",
                                          "--cpus", "2", "--mem", "64", "--", "true"])
        XCTAssertEqual(big.status, 0, big.errors)
        try await waitUntil("the waiting job says why", timeout: 60, interval: 0.3) {
            let status = try cluster.runFairway(["job", "status", "job-2", "--batch", "127.0.0.1:\(batch)"])
            return status.output.contains("waiting:  0/2 agents offered enough: 2 insufficient cpus; a task needs 2 cpus and 64 MB")
        }
    }

    /// `kill -9` of the pods framework: started again on its work dir, it fails over to the same
    /// framework, its pods keep running, and new pods still start.
    func testThePodsFrameworkSurvivesKill9() async throws {
        let cluster = try await makeCluster()
        try kubectl(cluster, "create", "-f", "-", input: Self.helloPod)
        try await waitForRunning(cluster, selector: "app=hello", count: 1)
        let uid = try kubectl(cluster, "get", "pod", "hello", "-o", "jsonpath={.metadata.uid}")
        cluster.killPods()
        try await cluster.startPods(extra: network?.podsArguments ?? [])
        try await waitForRunning(cluster, selector: "app=hello", count: 1)
        XCTAssertEqual(try kubectl(cluster, "get", "pod", "hello", "-o", "jsonpath={.metadata.uid}"), uid, "the same pod")
        let frameworks = (try await cluster.masterState())["frameworks"] as? [[String: Any]] ?? []
        XCTAssertEqual(frameworks.filter { $0["name"] as? String == "fairway-pods" }.count, 1, "failed over, not registered anew")
        try kubectl(cluster, "apply", "-f", "-", input: Self.webRC(replicas: 2))
        try await waitForRunning(cluster, selector: "app=web", count: 2)
        XCTAssertTrue(try kubectl(cluster, "logs", "hello").contains("hello from hello"))
    }

    /// Three HTTP servers that answer with their pod's name behind a service: 30 requests by DNS
    /// name from inside another pod reach each exactly 10 times, and the two containers of that
    /// pod reach each other on localhost.
    func testAServiceSpreadsRequestsRoundRobinAndResolvesByName() async throws {
        let cluster = try await makeCluster()
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/pods")
        try kubectl(cluster, "apply", "-f", examples.appendingPathComponent("web-rc.yaml").path)
        try await waitForRunning(cluster, selector: "app=web", count: 3)
        try await waitUntil("the service has 3 ready endpoints", timeout: 60, interval: 0.3) {
            try cluster.kubectl(["get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}"]).output
                .split(separator: " ").count == 3
        }
        let clusterIP = try kubectl(cluster, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}")
        XCTAssertTrue(clusterIP.hasPrefix(cluster.testPodNetwork().serviceCIDR.split(separator: ".").prefix(2).joined(separator: ".")))
        try kubectl(cluster, "create", "-f", examples.appendingPathComponent("client-pod.yaml").path)
        let names = try kubectl(cluster, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}")
            .split(separator: " ").map(String.init)
        try await waitUntil("the client made its 30 requests", timeout: 90, interval: 0.5) {
            let log = try cluster.kubectl(["logs", "client", "-c", "client"]).output
            return log.split(separator: "\n").filter { names.contains(String($0)) }.count >= 30 && log.contains("localhost: ok")
        }
        let answers = try kubectl(cluster, "logs", "client", "-c", "client").split(separator: "\n").filter { names.contains(String($0)) }
        let counts = Dictionary(answers.map { ($0, 1) }, uniquingKeysWith: +)
        XCTAssertEqual(counts.count, 3, "every replica answered: \(counts)")
        XCTAssertTrue(counts.values.allSatisfy { $0 == 10 }, "round-robin, 10 each: \(counts)")
    }

    /// With a certificate and a token, the API is HTTPS and refuses requests without the token.
    func testTheAPICanRequireTLSAndABearerToken() async throws {
        let cluster = try ProcessCluster(logLevel: "info")
        self.cluster = cluster
        try await cluster.startMaster()
        let certificate = cluster.root.appendingPathComponent("api.crt").path, key = cluster.root.appendingPathComponent("api.key").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        XCTAssertEqual(openssl.terminationStatus, 0, "openssl made a certificate")
        let authority = try Data(contentsOf: URL(fileURLWithPath: certificate)).base64EncodedString()
        let address = try await cluster.startPods(extra: ["--no-service-network"],
                                                  tls: .init(certificate: certificate, key: key, authorityData: authority),
                                                  token: "s3cret")
        XCTAssertTrue(try kubectl(cluster, "get", "namespaces").contains("default"))
        let anonymous = try cluster.kubectl(["--token", "wrong", "get", "pods"])
        XCTAssertNotEqual(anonymous.status, 0)
        XCTAssertTrue(anonymous.errors.contains("Unauthorized"), anonymous.errors)
        let plain = try? await HTTPCalls.get("http://\(address)/api", timeout: .seconds(2))
        XCTAssertNotEqual(plain?.status, .ok, "plain HTTP is not served")
    }

    func testAPodThatFitsNowhereStaysPendingAndSaysWhy() async throws {
        let cluster = try await makeCluster()
        let pod = Self.helloPod.replacingOccurrences(of: "cpu: 100m", with: "cpu: 16")
        try kubectl(cluster, "create", "-f", "-", input: pod)
        try await waitUntil("describe says why the pod waits", timeout: 30, interval: 0.3) {
            try cluster.kubectl(["describe", "pod", "hello"]).output.contains("0/2 agents are available: 2 insufficient cpu.")
        }
        let described = try kubectl(cluster, "describe", "pod", "hello")
        XCTAssertTrue(described.contains("Pending"), described)
        XCTAssertTrue(described.contains("FailedScheduling"), described)
        XCTAssertTrue(try kubectl(cluster, "get", "pods").contains("Pending"))
    }

    func testBadInputGetsAClearErrorAndCreatesNothing() async throws {
        let cluster = try await makeCluster()
        let noCommand = Self.helloPod.replacingOccurrences(of: "    command: [\"/bin/sh\", \"-c\", \"echo hello from $(uname -n); echo and from its stderr >&2; exec sleep 600\"]\n", with: "")
        var errors = try kubectl(cluster, "create", "-f", "-", input: noCommand, succeeds: false)
        XCTAssertTrue(errors.contains("The Pod \"hello\" is invalid") && errors.contains("command"), errors)
        XCTAssertEqual(try kubectl(cluster, "get", "pods", "-o", "name"), "")

        try kubectl(cluster, "create", "-f", "-", input: Self.helloPod)
        errors = try kubectl(cluster, "create", "-f", "-", input: Self.helloPod, succeeds: false)
        XCTAssertTrue(errors.contains("Error from server (AlreadyExists)"), errors)

        errors = try kubectl(cluster, "create", "-f", "-", input: "apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n", succeeds: false)
        XCTAssertTrue(errors.contains("Frobnicator"), errors)
        errors = try kubectl(cluster, "create", "-f", "-", input: "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n", succeeds: false)
        XCTAssertTrue(errors.lowercased().contains("yaml"), errors)
        XCTAssertEqual(try kubectl(cluster, "get", "pods", "-o", "name").split(separator: "\n"), ["pod/hello"])
    }
}

/// A long-running kubectl (`get -w`) whose output is collected until `stop()`.
final class WatchProcess: @unchecked Sendable {
    private let process = Process()
    private let file: URL

    init(cluster: ProcessCluster, arguments: [String]) throws {
        file = cluster.root.appendingPathComponent("watch-\(UUID().uuidString.prefix(6)).out")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "--kubeconfig", cluster.kubeconfig.path,
                             "--cache-dir", cluster.root.appendingPathComponent("kube-cache-watch").path] + arguments
        let handle = try FileHandle(forWritingTo: file)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
