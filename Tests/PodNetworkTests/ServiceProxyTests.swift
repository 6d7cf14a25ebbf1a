import Glibc
import NIOCore
@testable import PodNetwork
import FairwayTesting
import Synchronization
import XCTest

final class ServiceProxyTests: XCTestCase {
    private let clusterIP = IPv4Address("10.245.0.10")!

    private func makePods(_ test: TestNetwork, count: Int) async throws {
        for index in 1...count {
            _ = try await test.network.create(podID: "pod-\(index)", ip: test.podIP(UInt32(10 + index)), hostname: "pod-\(index)",
                                              resolvConf: ClusterDNS.resolvConf(namespace: "default", bridgeIP: test.bridgeIP))
        }
    }

    private func endpoint(_ test: TestNetwork, pod index: Int, port: Int = 8080) -> ServiceEndpoint {
        ServiceEndpoint(ip: test.podIP(UInt32(10 + index)), port: port)
    }

    private func web(_ endpoints: [ServiceEndpoint]) -> ServiceRule {
        ServiceRule(serviceName: "web", namespace: "default", clusterIP: clusterIP, port: 80, endpoints: endpoints)
    }

    /// Who answered `count` requests to the service, made one connection each from inside pod 4.
    private func hits(_ test: TestNetwork, count: Int) async throws -> [String: Int] {
        let result = try await test.toolInPod("pod-4", "get", ["http://\(clusterIP):80/", "\(count)"])
        XCTAssertTrue(result.succeeded, result.errors)
        return result.output.split(separator: "\n").reduce(into: [:]) { $0[String($1), default: 0] += 1 }
    }

    private func bridgeServiceIPs(_ test: TestNetwork) async throws -> [String] {
        let state = try await PodBridge(name: test.configuration.bridgeName, ipPath: test.configuration.ipPath).inspect()
        return (state?.addresses ?? [:]).filter { $0.value == 32 }.keys.map(\.description).sorted()
    }

    func testRequestsAreSpreadRoundRobinFollowRuleUpdatesAndSkipDeadEndpoints() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        try await makePods(test, count: 4)
        var servers: [Int: pid_t] = [:]
        for index in 1...3 {
            servers[index] = try test.startInPod("pod-\(index)", "http", ["8080", "backend-\(index)"], name: "backend-\(index)")
        }
        for index in 1...3 {
            try await waitUntil("backend \(index) answers") {
                try await test.curl("http://\(test.podIP(UInt32(10 + index))):8080/") == "backend-\(index)"
            }
        }
        let proxy = ServiceProxy(configuration: test.configuration, serviceCIDR: IPv4Subnet("10.245.0.0/16"))
        try await withProxy(proxy) {
            let dns = ServiceRule(serviceName: "dns", namespace: "kube-system", clusterIP: IPv4Address("10.245.0.53")!, port: 53,
                                  protocol: .udp, endpoints: [endpoint(test, pod: 1, port: 53)])
            let report = await proxy.apply([web((1...3).map { endpoint(test, pod: $0) }), dns])
            XCTAssertEqual(report.serving, [ServiceAddress(ip: clusterIP, port: 80)])
            XCTAssertEqual(report.problems.map(\.service), ["kube-system/dns"])
            XCTAssertTrue(report.problems.first?.error.message.contains("TCP only") ?? false)
            let serviceIPs = try await bridgeServiceIPs(test)
            XCTAssertEqual(serviceIPs, ["10.245.0.10"])

            let spread = try await hits(test, count: 30)
            XCTAssertEqual(spread, ["backend-1": 10, "backend-2": 10, "backend-3": 10])

            await proxy.apply([web([endpoint(test, pod: 1), endpoint(test, pod: 3)])])
            let afterRemoval = try await hits(test, count: 30)
            XCTAssertEqual(afterRemoval, ["backend-1": 15, "backend-3": 15], "no traffic to the removed backend")

            // Backend 3's server dies before the endpoints catch up: its turns go to the next one.
            if let pid = servers[3] { kill(pid, SIGKILL) }
            try await waitUntil("backend 3 is down") { try await test.curl("http://\(test.podIP(13)):8080/") == nil }
            let withDead = try await hits(test, count: 20)
            XCTAssertEqual(withDead, ["backend-1": 20])
        }
        let serviceIPsAfter = try await bridgeServiceIPs(test)
        XCTAssertEqual(serviceIPsAfter, [], "shutdown removes the service IPs")
        let servingAfter = await proxy.serving
        XCTAssertEqual(servingAfter, [], "shutdown closes the listeners")
    }

    func testHalfCloseBulkTransfersAndServicesWithoutEndpoints() async throws {
        let test = try TestNetwork()
        defer { test.cleanUp() }
        try await makePods(test, count: 3)
        let bulkSize = 8 << 20
        try test.startInPod("pod-1", "reverse", ["7000"], name: "reverse")
        try test.startInPod("pod-2", "bulk", ["7001", "\(bulkSize)"], name: "bulk")
        let shared = IPv4Address("10.245.0.20")!
        let reverse = ServiceRule(serviceName: "reverse", namespace: "default", clusterIP: shared, port: 7000,
                                  endpoints: [endpoint(test, pod: 1, port: 7000)])
        let bulk = ServiceRule(serviceName: "bulk", namespace: "default", clusterIP: shared, port: 7001,
                               endpoints: [endpoint(test, pod: 2, port: 7001)])
        let empty = ServiceRule(serviceName: "empty", namespace: "default", clusterIP: clusterIP, port: 80, endpoints: [])
        let proxy = ServiceProxy(configuration: test.configuration)
        try await withProxy(proxy) {
            let report = await proxy.apply([reverse, bulk, empty])
            XCTAssertEqual(report.problems, [])
            let last = Mutex<HostCommand.Result?>(nil)
            do {
                try await waitUntil("the reverse server answers through the proxy") {
                    let result = try await test.toolInPod("pod-3", "halfclose", ["\(shared)", "7000", "hello proxy"])
                    last.withLock { $0 = result }
                    return result.output == "yxorp olleh\n"
                }
            } catch {
                XCTFail("last try: \(String(describing: last.withLock { $0 })); server log: \(test.processLog("reverse"))")
                throw error
            }
            let counted = try await test.toolInPod("pod-3", "count", ["\(shared)", "7001"])
            XCTAssertEqual(counted.output, "\(bulkSize)\n", counted.errors)

            let noEndpoints = try await test.runInPod("pod-3", ["/usr/bin/curl", "-s", "--max-time", "5", "http://\(clusterIP):80/"])
            XCTAssertTrue([52, 56].contains(noEndpoints.status), "closed at once, got curl status \(noEndpoints.status)")

            // A connection open while its rule changes carries on with the backend it has.
            let marker = test.workDirectory + "/held-connected", go = test.workDirectory + "/held-go"
            let held = try test.startInPod("pod-3", "held", ["\(shared)", "7000", "still here", marker, go], name: "held")
            try await waitUntil("the held connection is open") { access(marker, F_OK) == 0 }
            try test.startInPod("pod-2", "reverse", ["7002"], name: "reverse-2")
            var moved = reverse
            moved.endpoints = [endpoint(test, pod: 2, port: 7002)]
            await proxy.apply([moved, bulk])
            let current = await proxy.endpoints(of: moved.address)
            XCTAssertEqual(current, moved.endpoints)
            try ClaimFiles.replace(go, text: "")
            _ = test.finish(held)
            XCTAssertEqual(test.processLog("held"), "ereh llits\n")

            await proxy.apply([reverse])
            let stillShared = try await bridgeServiceIPs(test)
            XCTAssertEqual(stillShared, ["10.245.0.20"], "the IP stays while a rule uses it")
            let gone = try await test.toolInPod("pod-3", "count", ["\(shared)", "7001"])
            XCTAssertFalse(gone.succeeded, "the removed port no longer listens")
            await proxy.apply([])
            let none = try await bridgeServiceIPs(test)
            XCTAssertEqual(none, [])
        }
    }

    private func withProxy(_ proxy: ServiceProxy, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await proxy.shutdown()
            throw error
        }
        await proxy.shutdown()
    }
}
