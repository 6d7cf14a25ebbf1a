import Glibc
@testable import PodNetwork
import FairwayTesting
import XCTest

final class ClusterDNSTests: XCTestCase {
    func testPodsResolveServicesByFullAndShortNamesAndUnknownNamesFailFast() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        try await test.network.ensureBridge()
        let dns = ClusterDNS(configuration: .init(listenAddress: test.bridgeIP, stateDirectory: test.workDirectory + "/dns"))
        defer { Self.killDnsmasq(pidFile: dns.configuration.pidFile) }
        let web = ClusterDNS.serviceName("web", namespace: "default")
        XCTAssertEqual(web, "web.default.svc.cluster.local")
        try await dns.apply(records: [web: "10.245.0.10", "api.other.svc.cluster.local.": "10.245.0.11"])
        try await dns.start()
        let started = await dns.pid
        let pid = try XCTUnwrap(started)

        _ = try await test.network.create(podID: "client", ip: test.podIP(20), hostname: "client",
                                          resolvConf: ClusterDNS.resolvConf(namespace: "default", bridgeIP: test.bridgeIP))
        for name in [web, "web", "web.default", "api.other"] {
            let answer = try await test.runInPod("client", ["/usr/bin/getent", "hosts", name])
            let expected = name.hasPrefix("api") ? "10.245.0.11" : "10.245.0.10"
            XCTAssertEqual(answer.output.split(separator: " ").first.map(String.init), expected, "getent hosts \(name): \(answer.errors)")
        }

        let unknown = try await test.runInPod("client", ["/usr/bin/getent", "hosts", "nosuch"])
        XCTAssertEqual(unknown.status, 2, "an unknown service is not found")
        let rcode = try await test.toolInPod("client", "rcode", ["nosuch.default.svc.cluster.local"])
        XCTAssertEqual(rcode.output, "3\n", "NXDOMAIN, answered at once rather than left to time out: \(rcode.errors)")
        let outside = try await test.toolInPod("client", "rcode", ["example.com"])
        XCTAssertNotEqual(outside.output, "0\n", "nothing is forwarded off the machine")

        try await dns.apply(records: [web: "10.245.0.99"])
        try await waitUntil("the changed record is served") {
            try await test.runInPod("client", ["/usr/bin/getent", "hosts", "web"]).output.hasPrefix("10.245.0.99")
        }
        let dropped = try await test.runInPod("client", ["/usr/bin/getent", "hosts", "api.other"])
        XCTAssertEqual(dropped.status, 2, "a record left out of apply is gone")

        await dns.shutdown()
        let running = await dns.isRunning
        XCTAssertFalse(running)
        XCTAssertNotEqual(kill(pid, 0), 0, "dnsmasq is gone")
        XCTAssertNotEqual(access(dns.configuration.pidFile, F_OK), 0, "its pid file is gone")
    }

    func testMissingDnsmasqIsATypedErrorNamingThePackage() async throws {
        let dns = ClusterDNS(configuration: .init(listenAddress: IPv4Address("10.244.0.1")!, stateDirectory: "/tmp/fwt-unused",
                                                  dnsmasqPath: "/nonexistent/dnsmasq"))
        await XCTAssertThrowsErrorAsync(try await dns.start()) { error in
            XCTAssertEqual(error.kind, .dnsmasqMissing)
            XCTAssertTrue(error.message.contains("apt-get install -y --no-install-recommends dnsmasq"), error.message)
        }
    }

    func testStartWithoutTheBridgeAddressFailsSayingWhatToDo() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        // No bridge, so the listen address is not on this host.
        let dns = ClusterDNS(configuration: .init(listenAddress: test.bridgeIP, stateDirectory: test.workDirectory + "/dns"))
        defer { Self.killDnsmasq(pidFile: dns.configuration.pidFile) }
        await XCTAssertThrowsErrorAsync(try await dns.start()) { error in
            XCTAssertEqual(error.kind, .dnsmasqFailed)
            XCTAssertTrue(error.message.contains("create the pod bridge first"), error.message)
        }
        let running = await dns.isRunning
        XCTAssertFalse(running)
    }

    func testADnsmasqThatCannotListenFailsStartWithItsOwnWords() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        try await test.network.ensureBridge()
        let first = ClusterDNS(configuration: .init(listenAddress: test.bridgeIP, stateDirectory: test.workDirectory + "/dns-1"))
        defer { Self.killDnsmasq(pidFile: first.configuration.pidFile) }
        try await first.start()
        let second = ClusterDNS(configuration: .init(listenAddress: test.bridgeIP, stateDirectory: test.workDirectory + "/dns-2",
                                                     domain: "other.local"))
        defer { Self.killDnsmasq(pidFile: second.configuration.pidFile) }
        await XCTAssertThrowsErrorAsync(try await second.start()) { error in
            XCTAssertEqual(error.kind, .dnsmasqFailed)
            XCTAssertTrue(error.message.contains("Address already in use"), error.message)
        }
        let secondRunning = await second.isRunning
        XCTAssertFalse(secondRunning)
        let firstRunning = await first.isRunning
        XCTAssertTrue(firstRunning)
        await first.shutdown()
    }

    func testBadRecordsAreRejected() async throws {
        let dns = ClusterDNS(configuration: .init(listenAddress: IPv4Address("10.244.0.1")!, stateDirectory: "/tmp/fwt-unused"))
        await XCTAssertThrowsErrorAsync(try await dns.apply(records: ["web.default.svc.cluster.local": "10.245.0"])) { error in
            XCTAssertEqual(error.kind, .invalidArgument)
        }
        await XCTAssertThrowsErrorAsync(try await dns.apply(records: ["bad name.cluster.local": "10.245.0.1"])) { error in
            XCTAssertEqual(error.kind, .invalidArgument)
        }
    }

    func testPodResolvConfSearchesTheNamespaceFirst() {
        XCTAssertEqual(ClusterDNS.resolvConf(namespace: "shop", bridgeIP: IPv4Address("10.88.0.1")!), """
            nameserver 10.88.0.1
            search shop.svc.cluster.local svc.cluster.local cluster.local
            options ndots:5 timeout:1 attempts:2

            """)
    }

    /// A backstop for `defer`: kills the test's dnsmasq if a failure skipped `shutdown`.
    static func killDnsmasq(pidFile: String) {
        guard let text = ClaimFiles.read(pidFile), let pid = pid_t(text.trimmingWhitespace), pid > 1 else { return }
        kill(pid, SIGKILL)
    }
}
