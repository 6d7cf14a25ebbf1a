import Glibc
@testable import PodNetwork
import FairwayTesting
import XCTest

final class PodSandboxNetworkTests: XCTestCase {
    private func resolvConf(_ test: TestNetwork) -> String {
        ClusterDNS.resolvConf(namespace: "default", bridgeIP: test.bridgeIP)
    }

    func testPodsReachEachOtherByIPTheHostReachesThemAndLocalhostStaysInsideAPod() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        let network = test.network
        let a = try await network.create(podID: "pod-a", ip: test.podIP(2), hostname: "pod-a", resolvConf: resolvConf(test))
        _ = try await network.create(podID: "pod-b", ip: test.podIP(3), hostname: "pod-b", resolvConf: resolvConf(test))
        XCTAssertEqual(a.namespace, "fwt\(test.tag)-pod-a")
        XCTAssertEqual(a.gateway, test.bridgeIP)
        XCTAssertEqual(network.commandPrefix(podID: "pod-a"), ["/usr/sbin/ip", "netns", "exec", a.namespace])
        let named = try await test.run(network.commandPrefix(podID: "pod-a", hostname: "web-1") + ["/usr/bin/uname", "-n"])
        XCTAssertEqual(named.output, "web-1\n", "a pod's program sees the pod's name as its hostname")
        let host = try await test.run(["/usr/bin/uname", "-n"])
        XCTAssertNotEqual(host.output, "web-1\n", "the host keeps its own")

        try test.startInPod("pod-a", "http", ["8080", "served-by-a"], name: "a-public")
        try test.startInPod("pod-a", "http", ["8081", "a-private", "127.0.0.1"], name: "a-private")
        let url = "http://\(test.podIP(2)):8080/"
        try await waitUntil("pod A's server answers from the host") { try await test.curl(url) == "served-by-a" }

        let fromB = try await test.curl(url, fromPod: "pod-b")
        XCTAssertEqual(fromB, "served-by-a", "pod B reaches pod A by its IP")
        try await waitUntil("pod A's loopback server answers") {
            try await test.curl("http://127.0.0.1:8081/", fromPod: "pod-a") == "a-private"
        }
        let loopbackFromB = try await test.runInPod("pod-b", ["/usr/bin/curl", "-s", "--max-time", "5", "http://127.0.0.1:8081/"])
        XCTAssertEqual(loopbackFromB.status, 7, "pod A's localhost is not pod B's: connection refused")
        let privateFromB = try await test.curl("http://\(test.podIP(2)):8081/", fromPod: "pod-b")
        XCTAssertNil(privateFromB, "a server on pod A's 127.0.0.1 is not reachable on its pod IP")

        let hostname = try await test.runInPod("pod-a", ["/usr/bin/getent", "hosts", "pod-a"])
        XCTAssertEqual(hostname.output.split(separator: " ").first.map(String.init), test.podIP(2).description,
                       "the pod's hosts file maps its hostname to its IP")
        let resolv = try await test.runInPod("pod-a", ["/bin/cat", "/etc/resolv.conf"])
        XCTAssertEqual(resolv.output, resolvConf(test))
    }

    func testDestroyLeavesNoNamespaceVethFilesOrBridgeBehind() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        let network = test.network
        let attachment = try await network.create(podID: "gone", ip: test.podIP(9), hostname: "gone", resolvConf: resolvConf(test),
                                                  hosts: [PodHostAlias(ip: test.podIP(10), hostnames: ["alias-one", "alias-two"])])
        let listed = try await network.existing()
        XCTAssertEqual(listed, [attachment.namespace])
        XCTAssertEqual(ClaimFiles.read(attachment.hostsPath)?.contains("\(test.podIP(10))\talias-one alias-two"), true)
        let vethCreated = try await interfaceExists(attachment.hostInterface, test)
        XCTAssertTrue(vethCreated)

        try await network.destroy(podID: "gone")
        let listedAfter = try await network.existing()
        XCTAssertEqual(listedAfter, [])
        let vethLeft = try await interfaceExists(attachment.hostInterface, test)
        XCTAssertFalse(vethLeft)
        XCTAssertNotEqual(access("/etc/netns/\(attachment.namespace)", F_OK), 0, "the /etc/netns dir is gone")
        XCTAssertNotEqual(access("/run/netns/\(attachment.namespace)", F_OK), 0)
        try await network.destroy(podID: "gone")  // idempotent

        try await network.teardown()
        let bridgeLeft = try await interfaceExists(test.configuration.bridgeName, test)
        XCTAssertFalse(bridgeLeft)
        try await network.teardown()  // idempotent
    }

    func testExistingFindsLeftoversAndCreateRefusesToReuseOne() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        let network = test.network
        _ = try await network.create(podID: "left", ip: test.podIP(4), hostname: "left", resolvConf: resolvConf(test))
        await XCTAssertThrowsErrorAsync(try await network.create(podID: "left", ip: test.podIP(5), hostname: "left",
                                                             resolvConf: resolvConf(test))) { error in
            XCTAssertTrue(error.message.contains("exists already"), error.message)
        }
        // A restarted agent finds and removes what the crashed one left.
        for namespace in try await network.existing() {
            try await network.destroy(namespace: namespace)
        }
        let remaining = try await network.existing()
        XCTAssertEqual(remaining, [])
        let again = try await network.create(podID: "left", ip: test.podIP(4), hostname: "left", resolvConf: resolvConf(test))
        XCTAssertEqual(again.ip, test.podIP(4))
    }

    func testBadInputIsRejectedBeforeAnythingIsCreated() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        await XCTAssertThrowsErrorAsync(try await test.network.create(podID: "x", ip: IPv4Address("10.99.0.5")!, hostname: "x",
                                                                  resolvConf: "")) { error in
            XCTAssertEqual(error.kind, .invalidArgument)
        }
        await XCTAssertThrowsErrorAsync(try await test.network.create(podID: "x", ip: test.podIP(6), hostname: "two words",
                                                                  resolvConf: "")) { error in
            XCTAssertEqual(error.kind, .invalidArgument)
        }
        let created = try await test.network.existing()
        XCTAssertEqual(created, [])
    }

    func testLongOrOddPodIDsGetShortSafeDistinctNames() {
        let network = PodSandboxNetwork()
        let uid = "4b6e2a1c-97d5-4e0b-9a57-3c1f0d8e7b21-and-a-long-tail-of-text"
        let name = network.namespaceName(podID: uid)
        XCTAssertTrue(name.hasPrefix("fwpod-4b6e2a1c"), name)
        XCTAssertNotEqual(name, network.namespaceName(podID: uid + "x"))
        XCTAssertEqual(network.namespaceName(podID: "default/web"), "fwpod-default_web-" + InterfaceNames.hex(InterfaceNames.fnv1a("default/web")))
        let veth = network.hostInterfaceName(podID: uid)
        XCTAssertTrue(veth.hasPrefix("fwv") && veth.count == 11, veth)
    }

    func testProbeReportsPodNetworkingAvailableAsRoot() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        let report = await PodNetworkSupport.probe(configuration: test.configuration)
        XCTAssertEqual(report, .available, report.reason ?? "")
        var broken = test.configuration
        broken.ipPath = "/nonexistent/ip"
        let missing = await PodNetworkSupport.probe(configuration: broken)
        XCTAssertFalse(missing.isAvailable)
        XCTAssertTrue(missing.reason?.contains("iproute2") ?? false, missing.reason ?? "")
    }

    private func interfaceExists(_ name: String, _ test: TestNetwork) async throws -> Bool {
        try await test.run(["/usr/sbin/ip", "link", "show", "dev", name]).succeeded
    }
}

/// Asserts that an async expression throws a `PodNetworkError`, then inspects it.
func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                                  _ check: (PodNetworkError) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch let error as PodNetworkError {
        check(error)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
